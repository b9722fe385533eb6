// The operator's permissions, kind by kind, for what it really does: watch and apply the kinds it renders,
// prune them, read what a namespace still holds before deleting it, record Events, hold its Lease. No `*` on
// any kind. `escalate` and `bind` on RBAC: istiod's ClusterRoles grant rights the operator does not hold
// itself, and the API server lets it create them only with these two verbs.
import type { KubeObject } from '../objects/index.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const manage = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({
  apiGroups,
  resources,
  verbs,
});

export const operatorClusterRules: Rule[] = [
  // The finalizer is added with a merge patch, the status written with a merge patch of /status: no PUT.
  rule(['meshop.dev'], ['meshconfigs'], ['get', 'list', 'watch', 'patch']),
  rule(['meshop.dev'], ['meshconfigs/status'], ['patch']),
  rule(['meshop.dev'], ['meshconfigs/finalizers'], ['update']),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], manage),
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
  // Before deleting a namespace it created: is anything else in it?
  rule([''], ['secrets'], ['list']),
  // Which revision each injected pod runs, and whose pods they are: metadata-only informers on pods and
  // ReplicaSets (get, for a read made before the cache has synced).
  rule([''], ['pods'], ['list', 'watch']),
  rule(['apps'], ['replicasets'], ['get', 'list', 'watch']),
  rule(['batch'], ['jobs'], ['get']),
  // Restarting workloads onto a new revision patches their pod template; an informer holds them all.
  rule(['apps'], ['statefulsets'], ['get', 'list', 'watch', 'patch']),
  rule(
    ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'],
    [
      'gateways',
      'virtualservices',
      'destinationrules',
      'envoyfilters',
      'peerauthentications',
      'authorizationpolicies',
      'telemetries',
    ],
    ['list'],
  ),
  // Events are created once per transition, never updated.
  rule([''], ['events'], ['create']),
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

export function operatorRbac(namespace: string, serviceAccount: string): KubeObject[] {
  const subjects = [{ kind: 'ServiceAccount', name: serviceAccount, namespace }];
  const name = 'meshop-operator';
  const labels = { 'app.kubernetes.io/name': 'meshop-operator' };
  return [
    { apiVersion: rbacApi, kind: 'ClusterRole', metadata: { name, labels }, rules: operatorClusterRules },
    {
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    },
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
