// The plain Kubernetes objects every addon is made of (ServiceAccount, ConfigMap, RBAC, Service, Deployment),
// built fresh on every call so no two rendered objects share a nested value and callers may change their copy.
import type { KubeObject } from '../../../objects/index.ts';

export type Labels = Readonly<Record<string, string>>;

/** Name, namespace and labels of one namespaced addon object. */
export interface AddonMeta {
  name: string;
  namespace: string;
  labels: Labels;
}

export interface PolicyRule {
  apiGroups?: readonly string[];
  resources?: readonly string[];
  resourceNames?: readonly string[];
  nonResourceURLs?: readonly string[];
  verbs: readonly string[];
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: 'TCP' | 'UDP';
  appProtocol?: string;
}

/** The pod a Deployment runs: its own labels and annotations, and the pod spec. */
export interface PodTemplate {
  labels: Labels;
  annotations?: Labels;
  spec: Record<string, unknown>;
}

/** Pod label that keeps the mesh's injector away: the addons observe the mesh from outside it. */
export const noInjection: Labels = { 'sidecar.istio.io/inject': 'false' };

function metadata(meta: AddonMeta): KubeObject['metadata'] {
  return { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels } };
}

export function serviceAccount(meta: AddonMeta): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(meta) };
}

export function configMap(meta: AddonMeta, data: Readonly<Record<string, string>>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(meta), data: { ...data } };
}

export function clusterRole(name: string, labels: Labels, rules: readonly PolicyRule[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...labels } },
    rules: rules.map((rule) => structuredClone(rule)),
  };
}

/** Binds the ClusterRole called `name` to the addon's ServiceAccount (`account`). */
export function clusterRoleBinding(name: string, account: AddonMeta): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...account.labels } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name: account.name, namespace: account.namespace }],
  };
}

function servicePort(port: ServicePort): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: port.name,
    port: port.port,
    targetPort: port.targetPort ?? port.port,
    protocol: port.protocol ?? 'TCP',
  };
  if (port.appProtocol !== undefined) out.appProtocol = port.appProtocol;
  return out;
}

export function clusterIpService(
  meta: AddonMeta,
  selector: Labels,
  ports: readonly ServicePort[],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(meta),
    spec: { type: 'ClusterIP', selector: { ...selector }, ports: ports.map(servicePort) },
  };
}

/**
 * A single-replica Deployment. `strategy` is the sample's choice per addon (Prometheus must not run two servers
 * on one storage while rolling).
 */
export function deployment(
  meta: AddonMeta,
  selector: Labels,
  pod: PodTemplate,
  strategy: Readonly<Record<string, unknown>> = { type: 'RollingUpdate' },
): KubeObject {
  const podMetadata: Record<string, unknown> = { labels: { ...pod.labels } };
  if (pod.annotations !== undefined) podMetadata.annotations = { ...pod.annotations };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(meta),
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...selector } },
      strategy: structuredClone(strategy),
      template: { metadata: podMetadata, spec: structuredClone(pod.spec) },
    },
  };
}

/** An HTTP GET probe on `port` (a number or a container port name), with the timing fields given. */
export function httpProbe(
  path: string,
  port: number | string,
  timing: Readonly<Record<string, number>> = {},
): Record<string, unknown> {
  return { httpGet: { path, port, scheme: 'HTTP' }, ...timing };
}

/** A container port. */
export function containerPort(
  name: string,
  port: number,
  protocol: 'TCP' | 'UDP' = 'TCP',
): Record<string, unknown> {
  return { name, containerPort: port, protocol };
}
