// What istioctl hands one of the node-agent charts (istio-cni, ztunnel) besides its defaults: the spec's values
// with unvalidatedValues merged in, the chart profile and compatibility version they name, and the component's
// own hub, tag and namespace. Shared by the CNI and ztunnel renderers.
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readString, readTree } from '../../values.ts';

/** spec.values with spec.unvalidatedValues over them, as istioctl merges them after validation. */
export function chartInputValues(ctx: RenderContext): ReadonlyJsonObject {
  return deepMerge(ctx.values, readTree(ctx.spec, 'unvalidatedValues'));
}

/** The chart profile (`values.profile`, else `values.global.profile`) that picks a chart's profile overlay. */
export function chartProfileName(values: ReadonlyJsonObject): string {
  return readString(values, 'profile', '') || readString(values, 'global.profile', '');
}

/** `values.compatibilityVersion`, else the spec's top-level `compatibilityVersion`. */
export function compatibilityVersion(ctx: RenderContext, values: ReadonlyJsonObject): string {
  return readString(values, 'compatibilityVersion', '') || readString(ctx.spec, 'compatibilityVersion', '');
}

/** The component's `hub` and `tag`, which istioctl copies into the chart's values. */
export function componentImageOverrides(ctx: RenderContext, component: string): JsonObject {
  const out: JsonObject = {};
  const hub = readString(ctx.components, `${component}.hub`, '');
  const tag = readString(ctx.components, `${component}.tag`, '');
  if (hub) out.hub = hub;
  if (tag) out.tag = tag;
  return out;
}

/** `components.<component>.namespace`, else the control-plane namespace. */
export function componentNamespace(ctx: RenderContext, component: string): string {
  return readString(ctx.components, `${component}.namespace`, '') || ctx.namespace;
}

export interface RenderScope {
  cluster: boolean;
  namespaced: boolean;
}

/** A chart's `resourceScope` (all, cluster or namespace) lets a cluster admin and a mesh admin each apply half. */
export function renderScope(scope: string): RenderScope {
  return {
    cluster: scope === 'all' || scope === 'cluster',
    namespaced: scope === 'all' || scope === 'namespace',
  };
}
