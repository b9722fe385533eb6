// The values istiod's objects are rendered from: the release's chart defaults (an artifact, exact per version)
// under the layered spec's values. Istio's istiod chart keeps pilot settings at its top level; the spec keeps
// them under `values.pilot`, so the two are lined up here once.
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readTree } from '../../values.ts';

export interface IstiodValues {
  pilot: JsonObject;
  global: JsonObject;
  sidecarInjectorWebhook: JsonObject;
  gateways: JsonObject;
  /** Chart-level mesh defaults, spec.values.meshConfig and spec.meshConfig, in rising precedence. */
  meshConfig: JsonObject;
}

/** Chart keys that are not pilot's own settings. */
const sharedKeys = new Set([
  'global',
  'sidecarInjectorWebhook',
  'gateways',
  'meshConfig',
  'base',
  'istiodRemote',
  'revision',
  'revisionTags',
  'ownerName',
  'telemetry',
  'experimental',
  'gatewayClasses',
]);

export function istiodValues(ctx: RenderContext): IstiodValues {
  const chart = ctx.artifacts.istiodValues;
  const chartPilot: JsonObject = Object.fromEntries(
    Object.entries(chart).filter(([k]) => !sharedKeys.has(k)),
  );
  const under = (key: string): ReadonlyJsonObject => readTree(chart, key);
  return {
    pilot: deepMerge(chartPilot, readTree(ctx.values, 'pilot')),
    global: deepMerge(deepMerge(under('global'), readTree(ctx.values, 'global')), {
      hub: ctx.hub,
      tag: ctx.tag,
    }),
    sidecarInjectorWebhook: deepMerge(
      under('sidecarInjectorWebhook'),
      readTree(ctx.values, 'sidecarInjectorWebhook'),
    ),
    gateways: deepMerge(under('gateways'), readTree(ctx.values, 'gateways')),
    meshConfig: deepMerge(deepMerge(under('meshConfig'), readTree(ctx.values, 'meshConfig')), ctx.meshConfig),
  };
}
