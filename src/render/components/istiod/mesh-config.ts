// The `istio[-<rev>]` ConfigMap: the mesh configuration istiod serves to every proxy, and the mesh networks.
// istiod's own defaults are built first and the user's meshConfig overwrites them key by key, so that
// `meshConfig.foo` in the spec always means Istio's MeshConfig field `foo`.
import { stringify } from 'yaml';
import type { KubeObject } from '../../../kube/index.ts';
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';
import { pilotConfigMapMeta } from './config-map-meta.ts';
import { readBool, readString, readTree } from '../../values.ts';
import type { IstiodValues } from './istiod-values.ts';

function defaultProviders(v: IstiodValues): JsonObject | undefined {
  if (Object.keys(readTree(v.meshConfig, 'defaultProviders')).length > 0) return undefined;
  const on = (path: string): boolean => readBool(v.telemetry, path, false);
  const telemetry = on('enabled') && on('v2.enabled');
  const prometheus = telemetry && on('v2.prometheus.enabled');
  const stackdriver = telemetry && on('v2.stackdriver.enabled');
  if (!prometheus && !stackdriver) return undefined;
  return {
    metrics: [...(prometheus ? ['prometheus'] : []), ...(stackdriver ? ['stackdriver'] : [])],
    ...(stackdriver ? { accessLogging: ['stackdriver'] } : {}),
  };
}

function tracing(v: IstiodValues, namespace: string): JsonObject | undefined {
  const tracer = readString(v.global, 'proxy.tracer', 'none');
  const setting = (path: string, fallback: string): string =>
    readString(v.global, `tracer.${path}`, fallback);
  switch (tracer) {
    case 'zipkin':
      return { zipkin: { address: setting('zipkin.address', '') || `zipkin.${namespace}:9411` } };
    case 'datadog':
      return { datadog: { address: setting('datadog.address', '') || '$(HOST_IP):8126' } };
    case 'lightstep':
      return {
        lightstep: {
          address: setting('lightstep.address', ''),
          accessToken: setting('lightstep.accessToken', ''),
        },
      };
    default:
      return undefined;
  }
}

function discoveryAddress(ctx: RenderContext, v: IstiodValues): string {
  if (!readString(v.global, 'remotePilotAddress', ''))
    return `${revisioned(ctx, 'istiod')}.${ctx.namespace}.svc:15012`;
  const localInjector =
    readBool(ctx.values, 'istiodRemote.enabled', false) &&
    readBool(ctx.values, 'istiodRemote.enabledLocalInjectorIstiod', false);
  return `${localInjector ? 'istiod-remote' : 'istiod'}.${ctx.namespace}.svc:15012`;
}

function defaultConfig(ctx: RenderContext, v: IstiodValues): JsonObject {
  const meshId = readString(v.global, 'meshID', '');
  const variant = readString(v.global, 'proxy.variant', '') || readString(v.global, 'variant', '');
  const trace = tracing(v, ctx.namespace);
  return {
    ...(meshId ? { meshId } : {}),
    ...(variant ? { image: { imageType: variant } } : {}),
    ...(trace ? { tracing: trace } : {}),
    discoveryAddress: discoveryAddress(ctx, v),
  };
}

/** The mesh configuration as istiod reads it: our defaults, then the user's meshConfig over them. */
export function meshConfigOf(ctx: RenderContext, v: IstiodValues): JsonObject {
  const providers = defaultProviders(v);
  const defaults: JsonObject = {
    trustDomain: 'cluster.local',
    rootNamespace: readString(v.meshConfig, 'rootNamespace', '') || ctx.namespace,
    ...(providers ? { defaultProviders: providers } : {}),
    defaultConfig: defaultConfig(ctx, v),
  };
  return deepMerge(defaults, v.meshConfig);
}

const yaml = (value: JsonObject): string =>
  stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0 }).trimEnd();

export function meshConfigMap(ctx: RenderContext, v: IstiodValues): KubeObject | undefined {
  if (!readBool(v.pilot, 'configMap', true)) return undefined;
  const networks = readTree(v.global, 'meshNetworks');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: pilotConfigMapMeta(ctx, 'istio'),
    data: {
      meshNetworks: yaml({ networks: networks as JsonObject }),
      mesh: yaml(meshConfigOf(ctx, v)),
    },
  };
}
