// The values the CNI objects are rendered from, layered as istioctl layers them for the istio-cni chart:
// chart defaults < the chart's profile and compatibility overlays < spec.values (with unvalidatedValues) <
// the component's own hub/tag. The chart reads `values.cni` at its top level; so does everything here.
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readString, readTree } from '../../values.ts';
import {
  chartInputValues,
  chartProfileName,
  compatibilityVersion,
  componentImageOverrides,
  componentNamespace,
} from './chart-inputs.ts';
import {
  cniChartDefaults,
  cniChartGlobalDefaults,
  cniChartProfiles,
  cniCompatibilityOverlays,
} from './cni-chart-defaults.ts';
import type { ChartOverlay } from './cni-chart-defaults.ts';

export interface CniValues {
  /** The chart's top-level settings: its defaults with `values.cni` over them. */
  cni: JsonObject;
  global: JsonObject;
  /** Where the agent's namespaced objects go. */
  namespace: string;
  /** `values.cni.platform`, else `values.global.platform`; empty for none. */
  platform: string;
}

export function cniValues(ctx: RenderContext): CniValues {
  const values = chartInputValues(ctx);
  const overlays = [
    cniChartProfiles[chartProfileName(values)],
    cniCompatibilityOverlays[compatibilityVersion(ctx, values)],
  ].filter((o): o is ChartOverlay => o !== undefined);
  let cni: JsonObject = deepMerge({}, cniChartDefaults);
  let global: JsonObject = deepMerge({}, cniChartGlobalDefaults);
  for (const overlay of overlays) {
    cni = deepMerge(cni, overlay.cni ?? {});
    global = deepMerge(global, overlay.global ?? {});
  }
  cni = deepMerge(deepMerge(cni, readTree(values, 'cni')), componentImageOverrides(ctx, 'cni'));
  global = deepMerge(deepMerge(global, readTree(values, 'global')), { hub: ctx.hub, tag: ctx.tag });
  return {
    cni,
    global,
    namespace: componentNamespace(ctx, 'cni'),
    platform: readString(cni, 'platform', '') || readString(global, 'platform', ''),
  };
}
