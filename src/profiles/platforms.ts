// Platform overlays: what Istio's charts change when values.global.platform names a Kubernetes distribution
// (mostly where the CNI agent finds the node's CNI binaries and config). Like the profiles' chart-level values,
// they are written at the spec paths that reach the same chart settings. Settings Istio's values schema does not
// describe go under unvalidatedValues, the spec's place for exactly that.
import type { ReadonlyJsonObject } from '../tree/index.ts';

export const platformNames = ['gke', 'k3d', 'k3s', 'microk8s', 'minikube', 'openshift'] as const;
export type PlatformName = (typeof platformNames)[number];

const multus = 'multus';
const spcType = { type: 'spc_t' } as const;

export const platformOverlays = {
  gke: {
    values: {
      // Empty on purpose: the CNI chart then detects GKE's binary directory itself.
      cni: { cniBinDir: '', resourceQuotas: { enabled: true } },
      ztunnel: { resourceQuotas: { enabled: true } },
    },
  },
  k3d: {
    values: { cni: { cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d', cniBinDir: '/bin' } },
  },
  k3s: {
    values: {
      cni: {
        cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
        cniBinDir: '/var/lib/rancher/k3s/data/cni',
      },
    },
  },
  microk8s: {
    values: {
      cni: {
        cniConfDir: '/var/snap/microk8s/current/args/cni-network',
        cniBinDir: '/var/snap/microk8s/current/opt/cni/bin',
      },
    },
  },
  minikube: {
    values: { cni: { cniNetnsDir: '/var/run/docker/netns' } },
  },
  openshift: {
    values: {
      // OpenShift chains CNI plugins through Multus, so Istio's plugin is a Multus network, not a chained one.
      cni: {
        cniBinDir: '/var/lib/cni/bin',
        cniConfDir: '/etc/cni/multus/net.d',
        chained: false,
        cniConfFileName: 'istio-cni.conf',
        provider: multus,
      },
      pilot: { cni: { enabled: true, provider: multus }, trustedZtunnelNamespace: 'kube-system' },
      // ztunnel's values are free-form in Istio's schema.
      ztunnel: { seLinuxOptions: spcType },
    },
    unvalidatedValues: {
      pilot: { terminationMessagePolicy: 'FallbackToLogsOnError' },
      cni: { seLinuxOptions: spcType },
    },
  },
} as const satisfies Readonly<Record<PlatformName, ReadonlyJsonObject>>;

export function isPlatformName(name: string): name is PlatformName {
  return (platformNames as readonly string[]).includes(name);
}
