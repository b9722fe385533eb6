// Default plus features Istio has not yet declared stable.
import type { ProfileDefinition } from '../profile.ts';

export const previewProfile = {
  name: 'preview',
  description: 'Default plus preview features (DNS capture in every proxy)',
  spec: {
    meshConfig: {
      // proxyMetadata values are environment variables of the proxy, hence strings.
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
    },
    values: { profile: 'preview' },
  },
} as const satisfies ProfileDefinition;
