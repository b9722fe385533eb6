// The `istio-sidecar-injector[-<rev>]` ConfigMap istiod reads to inject proxies: the release's injection
// templates (exact per version, from the artifacts) and the slice of values those templates use.
import { stringify } from 'yaml';
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import { withSortedKeys } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { pilotConfigMapMeta } from './config-map-meta.ts';
import { readBool, readList, readString, readTree } from '../../values.ts';
import type { IstiodValues } from './istiod-values.ts';

/** JSON with map keys sorted and two-space indentation, as Helm's toPrettyJson writes the same values. */
export function sortedJson(value: JsonValue): string {
  return JSON.stringify(withSortedKeys(value), null, 2);
}

function pick(tree: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(keys.filter((k) => tree[k] !== undefined).map((k) => [k, tree[k] as JsonValue]));
}

/** The values the injection templates read; the rest would only make the ConfigMap larger. */
export function injectorValues(ctx: RenderContext, v: IstiodValues): JsonObject {
  return {
    global: v.global,
    sidecarInjectorWebhook: v.sidecarInjectorWebhook,
    revision: ctx.revision ?? '',
    pilot: pick(v.pilot, ['cni', 'env']),
    gateways: pick(v.gateways, ['securityContext', 'seccompProfile']),
  };
}

function templates(ctx: RenderContext, v: IstiodValues): JsonObject {
  const userTemplates = readTree(v.sidecarInjectorWebhook, 'templates') as JsonObject;
  const out: JsonObject = {};
  for (const name of ctx.release.injectionTemplates) {
    const text = ctx.artifacts.injectionTemplates[name];
    if (text !== undefined && userTemplates[name] === undefined) out[name] = `${text.trim()}\n`;
  }
  return { ...out, ...userTemplates };
}

export function injectorConfig(ctx: RenderContext, v: IstiodValues): JsonObject {
  const hook = v.sidecarInjectorWebhook;
  const defaults = readList(hook, 'defaultTemplates');
  const annotations = readTree(hook, 'injectedAnnotations');
  return {
    defaultTemplates: defaults.length > 0 ? ([...defaults] as JsonValue[]) : ['sidecar'],
    policy: readString(v.global, 'proxy.autoInject', 'enabled'),
    alwaysInjectSelector: [...readList(hook, 'alwaysInjectSelector')] as JsonValue[],
    neverInjectSelector: [...readList(hook, 'neverInjectSelector')] as JsonValue[],
    // Empty is written as null, as istioctl writes it; istiod reads both as no annotations.
    injectedAnnotations: Object.keys(annotations).length > 0 ? (annotations as JsonObject) : null,
    // An old istiod that meets these templates fails on this sentinel with a message naming the mismatch.
    template: '{{ Template_Version_And_Istio_Version_Mismatched_Check_Installation }}',
    templates: templates(ctx, v),
  };
}

export function injectorConfigMap(ctx: RenderContext, v: IstiodValues): KubeObject | undefined {
  if (readBool(v.global, 'omitSidecarInjectorConfigMap', false)) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: pilotConfigMapMeta(ctx, 'istio-sidecar-injector'),
    data: {
      values: sortedJson(injectorValues(ctx, v)),
      config: stringify(injectorConfig(ctx, v), { lineWidth: 0, minContentWidth: 0 }).trimEnd(),
    },
  };
}
