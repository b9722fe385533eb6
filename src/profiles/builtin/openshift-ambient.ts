// Ambient on OpenShift: the ambient profile with its node agents moved to kube-system and the openshift platform.
import { deepMerge } from '../../tree/index.ts';
import type { ProfileDefinition } from '../profile.ts';
import { ambientProfile } from './ambient.ts';

export const openshiftAmbientProfile: ProfileDefinition = {
  name: 'openshift-ambient',
  description: 'Ambient for OpenShift: CNI node agent and ztunnel in kube-system, set up for Multus',
  spec: deepMerge(ambientProfile.spec, {
    components: {
      cni: { namespace: 'kube-system' },
      ztunnel: { namespace: 'kube-system' },
    },
    values: {
      global: { platform: 'openshift' },
    },
  }),
};
