// Everything one gateway is rendered from, resolved once: the chart's defaults under the spec's values (shared
// by every gateway of a direction), then what the gateway's own entry says. As with istioctl, the entry's
// `label` map (over the chart's app/istio labels) is the gateway's label set and the values' `labels` is not
// read, so selectors stay what istioctl gives the same spec; and `k8s` settings that chart conditions depend
// on (Service ports, HPA bounds, replicas) are turned into values before anything is built.
import { deepMerge, getPath, isJsonArray, isJsonObject } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readString, readTree } from '../../values.ts';
import type { Tree } from '../../values.ts';
import {
  gatewayChartDefaults,
  gatewayGlobalDefaults,
  gatewayMeshDefaults,
} from './gateway-chart-defaults.ts';
import { gatewayKinds } from './gateway-kind.ts';
import type { GatewayDirection, GatewayKind } from './gateway-kind.ts';
import { toStringMap } from './string-map.ts';
import type { StringMap } from './string-map.ts';

export interface GatewayInput {
  kind: GatewayDirection;
  /** The entry's name in `spec.components.ingressGateways[]` / `egressGateways[]`. */
  name: string;
  /** The entry's namespace, or the control-plane namespace. */
  namespace: string;
  label?: Record<string, string>;
  hub?: string;
  tag?: string;
  /** The entry's `k8s` settings: only read for what must be known before rendering (see valuesFromK8s). */
  k8s?: ReadonlyJsonObject;
}

export interface GatewayModel {
  kind: GatewayKind;
  name: string;
  namespace: string;
  /** The control-plane revision the gateway's proxy connects to; undefined for the default one. */
  revision: string | undefined;
  /** Where istiod runs. */
  controlPlaneNamespace: string;
  /** The gateway's label set: selector of its Deployment, Service, PDB, and the labels its pods carry. */
  selector: StringMap;
  image: string;
  /** `values.gateways.<direction>` over the chart defaults, with the entry's settings applied. */
  gateway: Tree;
  global: Tree;
  meshConfig: Tree;
  /** `values.platform` or `values.global.platform` (openshift changes the pod security context). */
  platform: string;
  /** `values.pilot.env`: one of istiod's flags changes where gateways read the CA bundle from. */
  pilotEnv: Tree;
}

export function gatewayModel(ctx: RenderContext, input: GatewayInput): GatewayModel {
  const kind = gatewayKinds[input.kind];
  const chart = gatewayChartDefaults[input.kind];
  const fromValues = readTree(ctx.values, `gateways.${kind.valuesKey}`);
  const gateway = deepMerge(deepMerge(chart, fromValues), valuesFromK8s(input.k8s ?? {}));
  const global = deepMerge(gatewayGlobalDefaults, readTree(ctx.values, 'global'));
  return {
    kind,
    name: input.name,
    namespace: input.namespace,
    revision: ctx.revision,
    controlPlaneNamespace: ctx.namespace,
    selector: { ...toStringMap(chart.labels), ...input.label },
    image: proxyImage(ctx, input, gateway, global),
    gateway,
    global,
    meshConfig: deepMerge(deepMerge(gatewayMeshDefaults, readTree(ctx.values, 'meshConfig')), ctx.meshConfig),
    platform: readString(ctx.values, 'platform', '') || readString(global, 'platform', ''),
    pilotEnv: readTree(ctx.values, 'pilot.env'),
  };
}

/** The gateway's `k8s` settings that istioctl copies into the values, so the chart's conditions see them. */
function valuesFromK8s(k8s: ReadonlyJsonObject): JsonObject {
  const out: JsonObject = {};
  const ports = getPath(k8s, 'service.ports');
  // Service ports feed the container ports too, so they replace the values' list rather than patch the Service.
  if (isJsonArray(ports) && ports.length > 0)
    out.ports = ports.filter(isJsonObject).map((p) => deepMerge({}, p));
  const min = getPath(k8s, 'hpaSpec.minReplicas');
  if (typeof min === 'number') out.autoscaleMin = min;
  const max = getPath(k8s, 'hpaSpec.maxReplicas');
  if (typeof max === 'number' && max > 0) out.autoscaleMax = max;
  const replicas = getPath(k8s, 'replicaCount');
  if (typeof replicas === 'number' && replicas > 0) out.replicaCount = replicas;
  return out;
}

/**
 * `<hub>/proxyv2:<tag>[-<variant>]`, or `global.proxy.image` as is when it names a whole image. The entry's tag
 * wins over the values' and the spec's; so does the entry's hub, which istioctl's gateway charts ignore (a
 * deliberate difference: the IstioOperator API documents a component's hub as the registry of its images).
 */
function proxyImage(ctx: RenderContext, input: GatewayInput, gateway: Tree, global: Tree): string {
  const image = readString(global, 'proxy.image', '') || 'proxyv2';
  if (image.includes('/')) return image;
  const hub = input.hub ?? ctx.hub;
  const tag = input.tag ?? (readString(gateway, 'tag', '') || ctx.tag);
  const variant = readString(global, 'proxy.variant', '') || readString(global, 'variant', '');
  return `${hub}/${image}:${tag}${variant ? `-${variant}` : ''}`;
}
