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

const cached = new Map<string, { release: IstioRelease; artifacts: IstioArtifacts }>();

/** A catalogued release and its artifacts, loaded once per process (the test release when none is named). */
export function testRelease(version = testVersion): { release: IstioRelease; artifacts: IstioArtifacts } {
  let data = cached.get(version);
  if (!data) {
    const release = getRelease(version);
    data = { release, artifacts: loadArtifacts(artifactsRoot, release) };
    cached.set(version, data);
  }
  return data;
}

/** The context renderMesh would build for a MeshConfig named `name` with `spec`. */
export function contextFor(spec: ReadonlyJsonObject = {}, name = 'mesh'): RenderContext {
  const { release, artifacts } = testRelease();
  return buildRenderContext({ name, spec }, release, artifacts);
}
