// Default plus an admission policy that keeps Istio configuration to features of stable maturity.
import type { ProfileDefinition } from '../profile.ts';

export const stableProfile = {
  name: 'stable',
  description: 'Default plus an admission policy that admits only stable Istio config fields',
  spec: {
    values: {
      profile: 'stable',
      experimental: { stableValidationPolicy: true },
    },
  },
} as const satisfies ProfileDefinition;
