// Default on OpenShift: pods need the CNI node agent (in kube-system) instead of privileged init containers.
// The platform-specific values (Multus paths, SELinux type) come from the openshift platform overlay, which
// layering applies to any spec whose values.global.platform is openshift.
import type { ProfileDefinition } from '../profile.ts';

export const openshiftProfile = {
  name: 'openshift',
  description: 'Default for OpenShift: adds the CNI node agent in kube-system, set up for Multus',
  spec: {
    components: {
      cni: { enabled: true, namespace: 'kube-system' },
    },
    values: {
      global: { platform: 'openshift' },
    },
  },
} as const satisfies ProfileDefinition;
