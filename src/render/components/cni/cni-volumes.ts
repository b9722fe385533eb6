// The node paths the agent works in: it installs the plugin binary and config into the node's CNI dirs,
// talks to the plugin and to ztunnel over sockets, and (for repair and ambient mode) enters pods' network
// namespaces through the host's /proc.
import type { JsonObject } from '../../../tree/index.ts';
import { readBool, readString } from '../../values.ts';
import type { CniValues } from './cni-values.ts';

/** Where GKE keeps CNI binaries; its platform profile leaves cniBinDir empty to get this. */
export const gkeCniBinDir = '/home/kubernetes/bin';
const defaultCniBinDir = '/opt/cni/bin';

export function cniBinDir(v: CniValues): string {
  const configured = readString(v.cni, 'cniBinDir', '');
  if (configured) return configured;
  return v.platform === 'gke' ? gkeCniBinDir : defaultCniBinDir;
}

const ambientOn = (v: CniValues): boolean => readBool(v.cni, 'ambient.enabled', false);
/** Repairing pods in place and ambient mode both enter pod network namespaces. */
const needsProcfs = (v: CniValues): boolean => readBool(v.cni, 'repair.repairPods', true) || ambientOn(v);

const hostPath = (name: string, path: string, type?: string): JsonObject => ({
  name,
  hostPath: type ? { path, type } : { path },
});

export function cniVolumeMounts(v: CniValues): JsonObject[] {
  return [
    { mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' },
    ...(needsProcfs(v) ? [{ mountPath: '/host/proc', name: 'cni-host-procfs', readOnly: true }] : []),
    { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
    { mountPath: '/var/run/istio-cni', name: 'cni-socket-dir' },
    ...(ambientOn(v)
      ? [
          { mountPath: '/host/var/run/netns', mountPropagation: 'HostToContainer', name: 'cni-netns-dir' },
          { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' },
        ]
      : []),
  ];
}

export function cniVolumes(v: CniValues): JsonObject[] {
  return [
    hostPath('cni-bin-dir', cniBinDir(v)),
    ...(needsProcfs(v) ? [hostPath('cni-host-procfs', '/proc', 'Directory')] : []),
    // Created if missing: ztunnel may start after the agent.
    ...(ambientOn(v) ? [hostPath('cni-ztunnel-sock-dir', '/var/run/ztunnel', 'DirectoryOrCreate')] : []),
    hostPath('cni-net-dir', readString(v.cni, 'cniConfDir', '/etc/cni/net.d')),
    hostPath('cni-socket-dir', '/var/run/istio-cni'),
    // Created if missing: the node's CNI may only create it when the first pod network comes up, and the
    // agent must not wait for that.
    hostPath('cni-netns-dir', readString(v.cni, 'cniNetnsDir', '/var/run/netns'), 'DirectoryOrCreate'),
  ];
}
