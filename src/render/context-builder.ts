// From a MeshConfig (name and spec as the user wrote it) and the release it asks for to the RenderContext every
// renderer reads: the spec layered over its profile, and the few values that have more than one source resolved
// once here (namespace, revision, hub, tag), so renderers never disagree about them.
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import { controlPlaneOf, defaultRevisionName } from '../revisions/index.ts';
import { mergeIstioOperator } from './istio-operator-input.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';
import type { RenderContext } from './context.ts';
import { readString, readTree } from './values.ts';

export interface MeshInput {
  /** metadata.name of the MeshConfig. */
  name: string;
  spec: ReadonlyJsonObject;
  /**
   * The revision to render, as src/revisions decided it (controlPlaneOf: RevisionBased names one per version);
   * `default` is the unrevisioned control plane. Decided here the same way when not given (offline renders).
   */
  revision?: string | undefined;
}

export function buildRenderContext(
  mesh: MeshInput,
  release: IstioRelease,
  artifacts: IstioArtifacts,
): RenderContext {
  // The revision as src/revisions decides it for the operator (RevisionBased: one per version), so an offline
  // render (`manifest generate`) and the operator's agree.
  const revision = mesh.revision ?? controlPlaneOf(mesh.name, mesh.spec).revision;
  const decided = revision === defaultRevisionName ? {} : { revision };
  const merged = mergeIstioOperator({ ...mesh.spec, ...decided }, release, artifacts);
  // meshop's own fields (addons, revisionTags...) beside the merged IstioOperator fields.
  const spec = { ...mesh.spec, ...decided, ...merged.spec };
  const values = readTree(spec, 'values');
  const rendered = readString(values, 'revision', '');
  return {
    mesh: mesh.name,
    namespace: merged.namespace,
    // Istio treats the revision "default" as no revision: unsuffixed names, istio.io/rev=default.
    revision: rendered === '' || rendered === defaultRevisionName ? undefined : rendered,
    release,
    artifacts,
    values,
    meshConfig: readTree(spec, 'meshConfig'),
    components: readTree(spec, 'components'),
    spec,
  };
}
