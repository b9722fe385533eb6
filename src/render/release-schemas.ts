// The schemas a spec is validated against before rendering, from the release's artifacts: its API definitions,
// and the compatibility versions its charts carry profiles for.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IstioArtifacts } from '../artifacts/index.ts';
import { apiSchemasOf } from '../api/index.ts';
import type { ApiSchemas, ReleaseSchemas } from '../api/index.ts';
import { releaseProfileNames } from '../profiles/index.ts';

const compatibilityFile = /^files\/profile-compatibility-version-(.+)\.yaml$/;
const platformFile = /^files\/profile-platform-(.+)\.yaml$/;

// The code that turns definitions into schemas: a cached result stands only for the code that made it.
const schemaCode = ['../api/release-validation.ts', '../api/schema/protobuf-schema.ts'].map(
  (path) => new URL(path, import.meta.url),
);
let schemaCodeDigest: string | undefined;

function codeDigest(): string {
  if (schemaCodeDigest === undefined) {
    const hash = createHash('sha256');
    for (const file of schemaCode) hash.update(readFileSync(file));
    schemaCodeDigest = hash.digest('hex');
  }
  return schemaCodeDigest;
}

/** The schemas made from the release's API definitions, parsed once per artifacts and code (derived-cache.ts). */
function apiSchemas(artifacts: IstioArtifacts): ApiSchemas {
  return artifacts.derived.get('api-schemas', `${artifacts.apiDigest()} ${codeDigest()}`, () =>
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
