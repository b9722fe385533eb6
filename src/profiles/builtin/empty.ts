// Nothing enabled: a blank page for a spec that turns on exactly what it lists.
import { ClassicGateway } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

export const emptyProfile = {
  name: 'empty',
  description: 'Nothing enabled; the spec turns on exactly what it lists',
  spec: {
    components: {
      base: { enabled: false },
      pilot: { enabled: false },
      ingressGateways: [{ name: ClassicGateway.Ingress, enabled: false }],
    },
  },
} as const satisfies ProfileDefinition;
