// The values istiod's objects are rendered from: the release's chart defaults (an artifact, exact per version)
// under the layered spec's values. Istio's istiod chart keeps pilot settings at its top level; the spec keeps
// them under `values.pilot`, so the two are lined up here once.
import { deepMerge, isJsonObject } from '../../../tree/index.ts';
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
  /** Which telemetry providers the mesh config names by default. */
  telemetry: JsonObject;
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

const ownSettings = (tree: ReadonlyJsonObject): JsonObject =>
  Object.fromEntries(Object.entries(tree).filter(([k]) => !sharedKeys.has(k) && k !== 'pilot')) as JsonObject;

/**
 * pilot's settings as the istiod chart sees them: its defaults, then every other top-level value of the spec
 * (Istio's charts share one values tree, so e.g. `values.cni` is what istiod reads as `cni`), then
 * `values.pilot`. An enabled CNI component tells istiod to expect the CNI plugin.
 */
function pilotSettings(ctx: RenderContext, chart: ReadonlyJsonObject): JsonObject {
  const cni = ctx.components.cni;
  const cniOn = isJsonObject(cni) && cni.enabled === true ? { cni: { enabled: true } } : {};
  const shared = deepMerge(ownSettings(chart), ownSettings(ctx.values));
  return deepMerge(deepMerge(deepMerge(shared, cniOn), readTree(ctx.values, 'pilot')), fromK8s(ctx));
}

/**
 * The few `components.pilot.k8s` settings istioctl also writes into pilot's values, because the chart derives
 * other objects from them (a PDB from more than one replica, the HPA bounds).
 */
function fromK8s(ctx: RenderContext): JsonObject {
  const k8s = readTree(ctx.components, 'pilot.k8s');
  const hpa = readTree(k8s, 'hpaSpec');
  const out: JsonObject = {};
  if (typeof hpa.minReplicas === 'number') out.autoscaleMin = hpa.minReplicas;
  if (typeof hpa.maxReplicas === 'number') out.autoscaleMax = hpa.maxReplicas;
  if (typeof k8s.replicaCount === 'number') out.replicaCount = k8s.replicaCount;
  return out;
}

export function istiodValues(ctx: RenderContext): IstiodValues {
  const chart = ctx.artifacts.istiodValues;
  const under = (key: string): ReadonlyJsonObject => readTree(chart, key);
  return {
    pilot: pilotSettings(ctx, chart),
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
    telemetry: deepMerge(under('telemetry'), readTree(ctx.values, 'telemetry')),
  };
}
