// istiod's Service: xDS (plaintext and mTLS), the webhooks on 443 and the monitoring port.
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned, revLabel } from '../../context.ts';
import { readList, readString, readTree } from '../../values.ts';
import type { IstiodValues } from './istiod-values.ts';
import { istiodServiceSelector } from './selectors.ts';

const ports: JsonObject[] = [
  { port: 15010, name: 'grpc-xds', protocol: 'TCP' },
  { port: 15012, name: 'https-dns', protocol: 'TCP' },
  { port: 443, name: 'https-webhook', targetPort: 15017, protocol: 'TCP' },
  { port: 15014, name: 'http-monitoring', protocol: 'TCP' },
];

function optionalSpec(v: IstiodValues): JsonObject {
  const out: JsonObject = {};
  const policy = readString(v.pilot, 'ipFamilyPolicy', '');
  if (policy) out.ipFamilyPolicy = policy;
  const families = readList(v.pilot, 'ipFamilies');
  if (families.length > 0) out.ipFamilies = [...families] as string[];
  const distribution = readString(v.pilot, 'trafficDistribution', '');
  if (distribution) out.trafficDistribution = distribution;
  return out;
}

export function istiodService(ctx: RenderContext, v: IstiodValues): KubeObject {
  const annotations = readTree(v.pilot, 'serviceAnnotations') as Record<string, string>;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: revisioned(ctx, 'istiod'),
      namespace: ctx.namespace,
      labels: { 'istio.io/rev': revLabel(ctx), app: 'istiod', istio: 'pilot' },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: { ports, selector: istiodServiceSelector(ctx), ...optionalSpec(v) },
  };
}
