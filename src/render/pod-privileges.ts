// What a rendered pod is granted beyond an ordinary pod: the points the Pod Security Standards' baseline level
// forbids (host namespaces, privileged containers, added capabilities, host paths and ports, unconfined seccomp,
// unsafe sysctls), plus each container and the ServiceAccount, since any container of a component's pod runs with
// that component's rights. The operator compares the grants of the spec's render with those of the release's own
// render of the same components (reconcile/pod-privilege-policy.ts): a MeshConfig may pick components, not widen
// what their pods may do.
import type { KubeObject } from '../objects/index.ts';
import { getPath, isJsonArray, isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';
import { podSpecPath } from './pod-images.ts';

/** Capabilities the baseline level lets a container add. */
const baselineCapabilities = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Sysctls the baseline level calls safe (namespaced and isolated from the node). */
const safeSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

const objectAt = (value: ReadonlyJsonValue | undefined): ReadonlyJsonObject =>
  isJsonObject(value) ? value : {};
const listAt = (value: ReadonlyJsonValue | undefined): readonly ReadonlyJsonValue[] =>
  isJsonArray(value) ? value : [];
const nameOf = (value: ReadonlyJsonObject): string => (typeof value.name === 'string' ? value.name : '');

function seccompGrant(context: ReadonlyJsonObject, where: string): string[] {
  return objectAt(context.seccompProfile).type === 'Unconfined' ? [`${where} seccomp Unconfined`] : [];
}

function containerGrants(container: ReadonlyJsonObject): string[] {
  const where = `container ${nameOf(container)}`;
  const context = objectAt(container.securityContext);
  const added = listAt(objectAt(context.capabilities).add).filter(
    (cap): cap is string => typeof cap === 'string' && !baselineCapabilities.has(cap.replace(/^CAP_/, '')),
  );
  return [
    where,
    ...(context.privileged === true ? [`${where} privileged`] : []),
    ...added.map((cap) => `${where} capability ${cap}`),
    ...seccompGrant(context, where),
    ...(typeof context.procMount === 'string' && context.procMount !== 'Default'
      ? [`${where} procMount ${context.procMount}`]
      : []),
    ...listAt(container.ports).flatMap((port) => {
      const hostPort = objectAt(port).hostPort;
      return typeof hostPort === 'number' && hostPort !== 0 ? [`${where} hostPort ${hostPort}`] : [];
    }),
  ];
}

/**
 * One line per grant of the object's pod template, e.g. `hostNetwork`, `container install-cni privileged`,
 * `volume cni-bin-dir hostPath /opt/cni/bin`; empty for an object that runs no pod.
 */
export function podPrivileges(obj: KubeObject): string[] {
  const at = podSpecPath(obj.kind);
  if (at === undefined) return [];
  const spec = getPath(obj as unknown as ReadonlyJsonObject, at);
  if (!isJsonObject(spec)) return [];
  const pod = objectAt(spec.securityContext);
  const named = [spec.serviceAccountName, spec.serviceAccount].find((n) => typeof n === 'string');
  const serviceAccount = typeof named === 'string' ? named : 'default';
  return [
    ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => spec[field] === true),
    `serviceAccount ${serviceAccount}`,
    ...seccompGrant(pod, 'pod'),
    ...listAt(pod.sysctls).flatMap((sysctl) => {
      const name = objectAt(sysctl).name;
      return typeof name === 'string' && !safeSysctls.has(name) ? [`sysctl ${name}`] : [];
    }),
    ...listAt(spec.volumes).flatMap((volume) => {
      const v = objectAt(volume);
      const path = objectAt(v.hostPath).path;
      return typeof path === 'string' ? [`volume ${nameOf(v)} hostPath ${path}`] : [];
    }),
    ...containerLists.flatMap((list) => listAt(spec[list]).flatMap((c) => containerGrants(objectAt(c)))),
  ];
}
