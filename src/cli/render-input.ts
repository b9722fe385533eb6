// From a validated MeshConfig to its render: the release its spec.version names (the newest catalogued one when
// unset) and that release's artifacts from the artifacts root.
import { loadArtifacts } from '../artifacts/index.ts';
import { defaultVersion, getRelease } from '../catalog/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { RenderError, renderMesh } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import { isJsonObject } from '../tree/index.ts';
import type { JsonValue } from '../tree/index.ts';
import { formatValidationError } from '../api/index.ts';
import { InputError } from './exit-codes.ts';

/** Renders `mesh`; a spec the renderer refuses is an InputError listing every problem. `source` names the input. */
export function renderMeshConfig(mesh: KubeObject, artifactsRoot: string, source?: string): RenderResult {
  try {
    return render(mesh, artifactsRoot);
  } catch (err) {
    if (!(err instanceof RenderError)) throw err;
    const what = source === undefined ? '' : ` ${source}`;
    if (err.problems.length <= 1) throw new InputError(`cannot render${what}: ${err.message}`);
    throw new InputError(`cannot render${what} (${String(err.problems.length)} problems):`, {
      problems: err.problems.map(formatValidationError),
    });
  }
}

function render(mesh: KubeObject, artifactsRoot: string): RenderResult {
  const raw = mesh.spec as JsonValue | undefined;
  const spec = isJsonObject(raw) ? raw : {};
  const version = typeof spec.version === 'string' ? spec.version : defaultVersion;
  const release = getRelease(version);
  const artifacts = loadArtifacts(artifactsRoot, release);
  return renderMesh({ name: mesh.metadata.name ?? 'default', spec }, release, artifacts);
}
