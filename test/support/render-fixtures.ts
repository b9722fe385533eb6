// Rendering in unit tests with the real release data: the artifacts hack/test.sh builds into the cache, loaded
// once per process, and a RenderContext for a spec exactly as renderMesh would build it.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadArtifacts } from '../../src/artifacts/index.ts';
import type { IstioArtifacts } from '../../src/artifacts/index.ts';
import { getRelease } from '../../src/catalog/index.ts';
import type { IstioRelease } from '../../src/catalog/index.ts';
import { buildRenderContext } from '../../src/render/context-builder.ts';
import type { RenderContext } from '../../src/render/context.ts';
import type { ReadonlyJsonObject } from '../../src/tree/index.ts';

export const testVersion = '1.31.0';
export const artifactsRoot = join(homedir(), '.cache', 'meshop', 'istio-artifacts');

let cached: { release: IstioRelease; artifacts: IstioArtifacts } | undefined;

export function testRelease(): { release: IstioRelease; artifacts: IstioArtifacts } {
  if (!cached) {
    const release = getRelease(testVersion);
    cached = { release, artifacts: loadArtifacts(artifactsRoot, release) };
  }
  return cached;
}

/** The context renderMesh would build for a MeshConfig named `name` with `spec`. */
export function contextFor(spec: ReadonlyJsonObject = {}, name = 'mesh'): RenderContext {
  const { release, artifacts } = testRelease();
  return buildRenderContext({ name, spec }, release, artifacts);
}
