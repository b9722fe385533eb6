// The sidecar-less data plane: the CNI node agent redirects pod traffic to ztunnel on each node.
import { ClassicGateway } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

export const ambientProfile = {
  name: 'ambient',
  description: 'Ambient data plane: istiod, the CNI node agent and ztunnel; no ingress gateway',
  spec: {
    components: {
      cni: { enabled: true },
      ztunnel: { enabled: true },
      ingressGateways: [{ name: ClassicGateway.Ingress, enabled: false }],
    },
    meshConfig: {
      defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } },
      // Services labelled istio.io/global=true are visible mesh-wide (across clusters).
      serviceScopeConfigs: [
        {
          servicesSelector: {
            matchExpressions: [{ key: 'istio.io/global', operator: 'In', values: ['true'] }],
          },
          scope: 'GLOBAL',
        },
      ],
    },
    values: {
      profile: 'ambient',
      global: { variant: 'distroless' },
      pilot: { env: { PILOT_ENABLE_AMBIENT: 'true' } },
      cni: { ambient: { enabled: true } },
    },
  },
} as const satisfies ProfileDefinition;
