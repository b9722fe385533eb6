// The `values[-<rev>]` ConfigMap: a record of the values a control plane was rendered from, for people and
// tools (istioctl reads it) — istiod does not. `original-values` is the layered spec's values, `merged-values`
// the same over the release's chart defaults.
import type { KubeObject } from '../../../kube/index.ts';
import { deepMerge } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { pilotConfigMapMeta } from './config-map-meta.ts';
import { sortedJson } from './injector-config.ts';
import type { IstiodValues } from './istiod-values.ts';

export function valuesConfigMap(ctx: RenderContext, v: IstiodValues): KubeObject {
  const merged = deepMerge(ctx.artifacts.istiodValues, {
    ...v.pilot,
    global: v.global,
    sidecarInjectorWebhook: v.sidecarInjectorWebhook,
    gateways: v.gateways,
    meshConfig: v.meshConfig,
    telemetry: v.telemetry,
    revision: ctx.revision ?? '',
  } satisfies JsonObject);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      ...pilotConfigMapMeta(ctx, 'values'),
      annotations: {
        'kubernetes.io/description':
          'The values this control plane was rendered from, kept for people and tools; istiod does not read it.',
      },
    },
    data: { 'original-values': sortedJson(ctx.values as JsonObject), 'merged-values': sortedJson(merged) },
  };
}
