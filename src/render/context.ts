// Everything a component renderer may read: the resolved spec (profile layered under the user's), the release
// and its artifacts. Built once per render; renderers never look anywhere else.
import { defaultRevisionName } from '../revisions/index.ts';
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import type { Tree } from './values.ts';

export interface RenderContext {
  /** The MeshConfig's name: it goes into the ownership labels. */
  mesh: string;
  /** The control-plane namespace (istiod, its config, gateways without their own namespace). */
  namespace: string;
  /** The revision name, or undefined for the default (unrevisioned) control plane. */
  revision: string | undefined;
  release: IstioRelease;
  artifacts: IstioArtifacts;
  /** `spec.values` after layering. */
  values: Tree;
  /** `spec.meshConfig` after layering. */
  meshConfig: Tree;
  /** `spec.components` after layering. */
  components: Tree;
  /** The whole layered spec, for what has no field of its own here (addons, revisionTags...). */
  spec: Tree;
}

/** `name` with `-<revision>` appended for a revisioned control plane, as Istio names revisioned objects. */
export function revisioned(ctx: Pick<RenderContext, 'revision'>, name: string): string {
  return ctx.revision ? `${name}-${ctx.revision}` : name;
}

/** The value of the `istio.io/rev` label: the revision, or `default`. */
export function revLabel(ctx: Pick<RenderContext, 'revision'>): string {
  return ctx.revision ?? defaultRevisionName;
}
