// The schemas a spec is validated against before rendering, from the release's artifacts: its API definitions,
// and the compatibility versions its charts carry profiles for.
import type { IstioArtifacts } from '../artifacts/index.ts';
import { releaseSchemasOf } from '../api/index.ts';
import type { ReleaseSchemas } from '../api/index.ts';

const compatibilityFile = /^files\/profile-compatibility-version-(.+)\.yaml$/;

export function releaseSchemas(artifacts: IstioArtifacts): ReleaseSchemas {
  const versions = artifacts
    .chart('base')
    .files.map((f) => compatibilityFile.exec(f.name)?.[1])
    .filter((v): v is string => v !== undefined);
  return releaseSchemasOf(artifacts.apiDefinitions(), versions);
}
