// The operator's permissions, kind by kind, for what it really does: watch and apply the kinds it renders,
// prune them, read what a namespace still holds before deleting it, record Events, hold its Lease. The one `*`
// is `list`, for that namespace check. `escalate` and `bind` on RBAC: istiod's ClusterRoles grant rights the
// operator does not hold itself, and the API server lets it create them only with these two verbs.
import { releases } from '../catalog/index.ts';
import type { KubeObject } from '../objects/index.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

// No `update`: every write of a rendered object is a server-side apply (a patch); `create` stays, since an apply
// that creates an object is authorized as a create (the audit log records it as a patch).
const manage = ['get', 'list', 'watch', 'create', 'patch', 'delete'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({
  apiGroups,
  resources,
  verbs,
});

export const operatorClusterRules: Rule[] = [
  // The finalizer is added with a merge patch, the status written with a merge patch of /status: no PUT, and no
  // rendered object has a MeshConfig for owner, so nothing needs `update` on meshconfigs/finalizers.
  rule(['meshop.dev'], ['meshconfigs'], ['get', 'list', 'watch', 'patch']),
  rule(['meshop.dev'], ['meshconfigs/status'], ['patch']),
  // Istio's CRDs are applied (server-side apply is a patch) and, with spec.teardown.removeCRDs, deleted: by name,
  // the names of every catalogued release, so no MeshConfig can steer a write or delete to another project's CRD
  // (or to meshop's own). Reading and creating cannot be limited by name.
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], ['get', 'list', 'watch', 'create']),
  {
    ...rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], ['patch', 'delete']),
    resourceNames: [...new Set(releases.flatMap((r) => r.crdNames))].sort(),
  },
  rule([''], ['namespaces', 'serviceaccounts', 'configmaps', 'services', 'resourcequotas'], manage),
  rule(
    ['rbac.authorization.k8s.io'],
    ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'],
    manage,
  ),
  rule(['rbac.authorization.k8s.io'], ['clusterroles', 'roles'], ['escalate', 'bind']),
  rule(['apps'], ['deployments', 'daemonsets'], manage),
  rule(['policy'], ['poddisruptionbudgets'], manage),
  rule(['autoscaling'], ['horizontalpodautoscalers'], manage),
  rule(['networking.k8s.io'], ['networkpolicies'], manage),
  rule(
    ['admissionregistration.k8s.io'],
    [
      'mutatingwebhookconfigurations',
      'validatingwebhookconfigurations',
      'validatingadmissionpolicies',
      'validatingadmissionpolicybindings',
    ],
    manage,
  ),
  rule(['k8s.cni.cncf.io'], ['network-attachment-definitions'], manage),
  // Before deleting a namespace it created: is anything of any kind (aggregated discovery) still in it? Listed as
  // metadata only, but RBAC cannot say so: this is read access to every namespaced kind, Secrets included
  // (docs/security.md).
  rule(['*'], ['*'], ['list']),
  // Which revision each injected pod runs, and whose pods they are: metadata-only informers on pods and
  // ReplicaSets (get, for a read made before the cache has synced).
  rule([''], ['pods'], ['list', 'watch']),
  rule(['apps'], ['replicasets'], ['get', 'list', 'watch']),
  rule(['batch'], ['jobs'], ['get']),
  // Which workloads run the old revision: an informer holds them all (restarting them is workloadRestartRules).
  rule(['apps'], ['statefulsets'], ['get', 'list', 'watch']),
  // Events are created once per transition, never updated.
  rule([''], ['events'], ['create']),
];

/**
 * Restarting users' workloads onto a new revision patches their pod template. Bound only when the installer
 * enables restarts (`meshop operator init --no-workload-restarts` leaves it out). Deployments and DaemonSets are
 * patched by the main role anyway (istiod, the gateways and the CNI agent are rendered as such, in namespaces not
 * known in advance), so what this role adds is StatefulSets; it names all three so that the grant reads as what it
 * is for.
 */
export const workloadRestartRules: Rule[] = [
  rule(['apps'], ['deployments', 'statefulsets', 'daemonsets'], ['patch']),
];

/** The name of the leader-election Lease (src/operator/operator.ts). */
export const operatorLeaseName = 'meshop-operator';

/**
 * The Lease of leader election, in the operator's own namespace only, and by name: creating cannot be limited to
 * a name (RBAC sees no name on a create), reading and renewing can.
 */
export const operatorLeaseRules: Rule[] = [
  rule(['coordination.k8s.io'], ['leases'], ['create']),
  { ...rule(['coordination.k8s.io'], ['leases'], ['get', 'update']), resourceNames: [operatorLeaseName] },
];

const rbacApi = 'rbac.authorization.k8s.io/v1';
const labels = { 'app.kubernetes.io/name': 'meshop-operator' };

type Subjects = { kind: string; name: string; namespace: string }[];

function clusterRoleAndBinding(name: string, rules: Rule[], subjects: Subjects): KubeObject[] {
  return [
    { apiVersion: rbacApi, kind: 'ClusterRole', metadata: { name, labels }, rules },
    {
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    },
  ];
}

export function operatorRbac(
  namespace: string,
  serviceAccount: string,
  options: { workloadRestarts: boolean } = { workloadRestarts: true },
): KubeObject[] {
  const subjects = [{ kind: 'ServiceAccount', name: serviceAccount, namespace }];
  const name = 'meshop-operator';
  return [
    ...clusterRoleAndBinding(name, operatorClusterRules, subjects),
    ...(options.workloadRestarts
      ? clusterRoleAndBinding(`${name}-workload-restarts`, workloadRestartRules, subjects)
      : []),
    {
      apiVersion: rbacApi,
      kind: 'Role',
      metadata: { name: `${name}-leader-election`, namespace, labels },
      rules: operatorLeaseRules,
    },
    {
      apiVersion: rbacApi,
      kind: 'RoleBinding',
      metadata: { name: `${name}-leader-election`, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${name}-leader-election` },
      subjects,
    },
  ];
}
