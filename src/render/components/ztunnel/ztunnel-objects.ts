// ztunnel's other objects: its ServiceAccount; on OpenShift, the right to run privileged pods; a quota for
// node-critical pods where the platform asks for one (GKE); and a NetworkPolicy admitting its ports.
import type { KubeObject } from '../../../kube/index.ts';
import { readBool, readList, readString } from '../../values.ts';
import { revLabel } from '../../context.ts';
import { openshiftPrivilegedRule } from '../cni/cni-rbac.ts';
import { nodeCriticalQuota } from '../cni/node-critical-quota.ts';
import {
  podSelectorLabels,
  ztunnelAnnotations,
  ztunnelApp,
  ztunnelLabels,
  ztunnelRbacLabels,
} from './ztunnel-metadata.ts';
import type { ZtunnelValues } from './ztunnel-values.ts';

const rbacApi = 'rbac.authorization.k8s.io/v1';

function metadata(v: ZtunnelValues, labels: Record<string, string>, namespaced: boolean) {
  const annotations = ztunnelAnnotations(v);
  return {
    name: v.name,
    ...(namespaced ? { namespace: v.namespace } : {}),
    labels,
    ...(annotations ? { annotations } : {}),
  };
}

export function ztunnelServiceAccount(v: ZtunnelValues): KubeObject {
  const pullSecrets = readList(v.z, 'imagePullSecrets');
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: metadata(v, ztunnelLabels(v), true),
    ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
  };
}

/** OpenShift admits ztunnel's pods only through the `privileged` SecurityContextConstraints. */
export function ztunnelOpenshiftRbac(v: ZtunnelValues): KubeObject[] {
  if (readString(v.z, 'platform', '') !== 'openshift') return [];
  return [
    {
      apiVersion: rbacApi,
      kind: 'ClusterRole',
      metadata: metadata(v, ztunnelRbacLabels(), false),
      rules: [openshiftPrivilegedRule],
    },
    {
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata: metadata(v, ztunnelRbacLabels(), false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: v.name },
      subjects: [{ kind: 'ServiceAccount', name: v.name, namespace: v.namespace }],
    },
  ];
}

export function ztunnelQuota(v: ZtunnelValues): KubeObject[] {
  if (!readBool(v.z, 'resourceQuotas.enabled', false)) return [];
  const pods = readString(v.z, 'resourceQuotas.pods', '5000');
  return [nodeCriticalQuota({ name: v.name, namespace: v.namespace, labels: ztunnelLabels(v), pods })];
}

/** Readiness, metrics, admin, HBONE, outbound, inbound plaintext, then DNS capture on TCP and UDP. */
const tcpPorts = [15021, 15020, 15000, 15008, 15001, 15006];
const dnsPort = 15053;

export function ztunnelNetworkPolicies(v: ZtunnelValues): KubeObject[] {
  if (!readBool(v.z, 'global.networkPolicy.enabled', false)) return [];
  const labels = {
    app: ztunnelApp,
    'app.kubernetes.io/name': ztunnelApp,
    'istio.io/rev': revLabel({ revision: v.revision || undefined }),
    'operator.istio.io/component': 'Ztunnel',
  };
  const ingress = [
    ...tcpPorts.map((port) => ({ ports: [{ protocol: 'TCP', port }] })),
    {
      ports: [
        { protocol: 'TCP', port: dnsPort },
        { protocol: 'UDP', port: dnsPort },
      ],
    },
  ];
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: v.revision ? `${v.name}-${v.revision}` : v.name,
        namespace: v.namespace,
        labels,
      },
      spec: {
        podSelector: { matchLabels: podSelectorLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        // ztunnel connects to istiod and to any workload in the mesh.
        egress: [{}],
      },
    },
  ];
}
