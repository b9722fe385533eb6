// The values ztunnel's objects are rendered from, one flat tree as its chart sees them. Lowest to highest:
// chart defaults < the chart profile < `values.global` (lifted to the top level, with the resolved hub, tag and
// control-plane namespace) < `values.ztunnel` (with unvalidatedValues) < the component's hub/tag and its k8s
// CPU resources, which istioctl copies in so that the CPU env vars follow them.
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readString, readTree } from '../../values.ts';
import {
  chartInputValues,
  chartProfileName,
  componentImageOverrides,
  componentNamespace,
} from '../cni/chart-inputs.ts';
import { ztunnelChartDefaults, ztunnelChartProfiles } from './ztunnel-chart-defaults.ts';

export interface ZtunnelValues {
  /** The chart's flat settings. */
  z: JsonObject;
  /** Where the namespaced objects go. */
  namespace: string;
  /** The name of the DaemonSet, its ServiceAccount and RBAC (`resourceName`, default `ztunnel`). */
  name: string;
  /** The control-plane revision ztunnel gets its certificates and config from; empty for the default. */
  revision: string;
}

function k8sCpuOverrides(ctx: RenderContext): JsonObject {
  const resources = readTree(ctx.components, 'ztunnel.k8s.resources');
  const out: JsonObject = {};
  for (const key of ['limits', 'requests'] as const) {
    const cpu = readString(resources, `${key}.cpu`, '');
    if (cpu) out[key] = { cpu };
  }
  return Object.keys(out).length > 0 ? { resources: out } : {};
}

function liftedGlobals(ctx: RenderContext, values: ReadonlyJsonObject): JsonObject {
  const global = readTree(values, 'global');
  return deepMerge(global, {
    hub: ctx.hub,
    tag: ctx.tag,
    istioNamespace: ctx.namespace,
    revision: ctx.revision ?? '',
    global,
  });
}

export function ztunnelValues(ctx: RenderContext): ZtunnelValues {
  const values = chartInputValues(ctx);
  const layers: ReadonlyJsonObject[] = [
    ztunnelChartProfiles[chartProfileName(values)] ?? {},
    liftedGlobals(ctx, values),
    readTree(values, 'ztunnel'),
    componentImageOverrides(ctx, 'ztunnel'),
    k8sCpuOverrides(ctx),
  ];
  const z = layers.reduce<JsonObject>(
    (acc, layer) => deepMerge(acc, layer),
    deepMerge({}, ztunnelChartDefaults),
  );
  return {
    z,
    namespace: componentNamespace(ctx, 'ztunnel'),
    name: readString(z, 'resourceName', '') || 'ztunnel',
    revision: readString(z, 'revision', ''),
  };
}
