// From a MeshConfig (name and spec as the user wrote it) and the release it asks for to the RenderContext every
// renderer reads: the spec layered over its profile, and the few values that have more than one source resolved
// once here (namespace, revision, hub, tag), so renderers never disagree about them.
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import { layerSpec } from '../profiles/index.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';
import type { RenderContext } from './context.ts';
import { readString, readTree } from './values.ts';

export interface MeshInput {
  /** metadata.name of the MeshConfig. */
  name: string;
  spec: ReadonlyJsonObject;
}

const defaultNamespace = 'istio-system';

/** The user's own choice (either spelling) wins over the namespace the default profile names. */
function namespaceOf(userSpec: ReadonlyJsonObject, layered: ReadonlyJsonObject): string {
  return (
    readString(userSpec, 'namespace', '') ||
    readString(userSpec, 'values.global.istioNamespace', '') ||
    readString(layered, 'namespace', '') ||
    defaultNamespace
  );
}

export function buildRenderContext(
  mesh: MeshInput,
  release: IstioRelease,
  artifacts: IstioArtifacts,
): RenderContext {
  const spec = layerSpec(mesh.spec);
  const values = readTree(spec, 'values');
  // As with istioctl, the top-level fields win over their twins under values.global, and both over the
  // release's defaults.
  const namespace = namespaceOf(mesh.spec, spec);
  const revision = readString(spec, 'revision', '') || readString(values, 'revision', '');
  return {
    mesh: mesh.name,
    namespace,
    // Istio treats the revision "default" as no revision: unsuffixed names, istio.io/rev=default.
    revision: revision === '' || revision === 'default' ? undefined : revision,
    hub: readString(spec, 'hub', '') || readString(values, 'global.hub', '') || release.hub,
    tag: readString(spec, 'tag', '') || readString(values, 'global.tag', '') || release.tag,
    release,
    artifacts,
    values,
    meshConfig: readTree(spec, 'meshConfig'),
    components: readTree(spec, 'components'),
    spec,
  };
}
