// The schemas a spec is validated against before rendering, from the release's artifacts: its API definitions,
// and the compatibility versions its charts carry profiles for.
import type { IstioArtifacts } from '../artifacts/index.ts';
import { releaseSchemasOf } from '../api/index.ts';
import type { ReleaseSchemas } from '../api/index.ts';
import { releaseProfileNames } from '../profiles/index.ts';

const compatibilityFile = /^files\/profile-compatibility-version-(.+)\.yaml$/;
const platformFile = /^files\/profile-platform-(.+)\.yaml$/;

export function releaseSchemas(artifacts: IstioArtifacts): ReleaseSchemas {
  const files = artifacts.chart('base').files.map((f) => f.name);
  const named = (pattern: RegExp): string[] =>
    files.map((name) => pattern.exec(name)?.[1]).filter((v): v is string => v !== undefined);
  return releaseSchemasOf(artifacts.apiDefinitions(), {
    compatibilityVersions: named(compatibilityFile),
    platforms: named(platformFile),
    profiles: releaseProfileNames(artifacts.profiles),
  });
}
