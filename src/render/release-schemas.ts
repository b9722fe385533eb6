// The schemas a spec is validated against before rendering, from the release's artifacts: its API definitions,
// and the compatibility versions its charts carry profiles for.
import type { IstioArtifacts } from '../artifacts/index.ts';
import { apiSchemasOf } from '../api/index.ts';
import type { ApiSchemas, ReleaseSchemas } from '../api/index.ts';
import { releaseProfileNames } from '../profiles/index.ts';
import { schemaCodeDigest } from './schema-code.ts';

const compatibilityFile = /^files\/profile-compatibility-version-(.+)\.yaml$/;
const platformFile = /^files\/profile-platform-(.+)\.yaml$/;

/** The schemas made from the release's API definitions, parsed once per artifacts and code (derived-cache.ts). */
function apiSchemas(artifacts: IstioArtifacts): ApiSchemas {
  return artifacts.derived.get('api-schemas', `${artifacts.apiDigest()} ${schemaCodeDigest()}`, () =>
    apiSchemasOf(artifacts.apiDefinitions()),
  );
}

export function releaseSchemas(artifacts: IstioArtifacts): ReleaseSchemas {
  const files = artifacts.chart('base').files.map((f) => f.name);
  const named = (pattern: RegExp): string[] =>
    files.map((name) => pattern.exec(name)?.[1]).filter((v): v is string => v !== undefined);
  return {
    ...apiSchemas(artifacts),
    compatibilityVersions: named(compatibilityFile),
    platforms: named(platformFile),
    profiles: releaseProfileNames(artifacts.profiles),
  };
}
