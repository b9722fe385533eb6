// istiod alone, for users who bring their own gateways (Gateway API, or the gateway Helm chart).
import { ClassicGateway } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

export const minimalProfile = {
  name: 'minimal',
  description: 'The control plane only: istiod, no gateways',
  spec: {
    components: {
      ingressGateways: [{ name: ClassicGateway.Ingress, enabled: false }],
    },
  },
} as const satisfies ProfileDefinition;
