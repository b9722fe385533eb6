// The production starting point, and the base every other profile is layered over.
// Not carried over from Istio's file: hub and tag (meshop derives them from spec.version through the catalog,
// so a profile value would wrongly win over them).
import { ClassicGateway } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

export const defaultProfile = {
  name: 'default',
  description: 'Production starting point: istiod and an ingress gateway',
  spec: {
    namespace: 'istio-system',
    components: {
      base: { enabled: true },
      pilot: { enabled: true },
      ingressGateways: [{ name: ClassicGateway.Ingress, enabled: true }],
      // Listed though disabled, so that `--set components.egressGateways.[0].enabled=true` has an entry to flip.
      egressGateways: [{ name: ClassicGateway.Egress, enabled: false }],
    },
    values: {
      defaultRevision: '',
      global: { istioNamespace: 'istio-system', configValidation: true },
      gateways: { [ClassicGateway.Ingress]: {}, [ClassicGateway.Egress]: {} },
      ztunnel: { resourceName: 'ztunnel' },
    },
  },
} as const satisfies ProfileDefinition;
