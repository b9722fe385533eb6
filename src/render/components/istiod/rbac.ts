// istiod's permissions, rule for rule as Istio grants them (facts of the release; see istio-installer-facts).
// The ClusterRoles are named per revision and namespace so that two control planes never share one.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const read = ['get', 'list', 'watch'];
const readWrite = ['get', 'watch', 'list', 'update', 'patch', 'create', 'delete'];
const istioGroups = [
  'config.istio.io',
  'security.istio.io',
  'networking.istio.io',
  'authentication.istio.io',
  'rbac.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
];
const gatewayApiStatus = [
  'backendtlspolicies/status',
  'gatewayclasses/status',
  'gateways/status',
  'grpcroutes/status',
  'httproutes/status',
  'referencegrants/status',
  'tcproutes/status',
  'tlsroutes/status',
  'udproutes/status',
  'listenersets/status',
];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({
  apiGroups,
  resources,
  verbs,
});

/** istiod patches its webhooks' caBundle (and the validator's failurePolicy). */
const webhookRules: Rule[] = [
  rule(
    ['admissionregistration.k8s.io'],
    ['mutatingwebhookconfigurations'],
    ['get', 'list', 'watch', 'update', 'patch'],
  ),
  rule(
    ['admissionregistration.k8s.io'],
    ['validatingwebhookconfigurations'],
    ['get', 'list', 'watch', 'update'],
  ),
];

const istiodRules: Rule[] = [
  ...webhookRules,
  rule(istioGroups, ['*'], ['get', 'watch', 'list']),
  rule(['networking.istio.io'], ['workloadentries'], readWrite),
  rule(['networking.istio.io'], ['workloadentries/status', 'serviceentries/status'], readWrite),
  rule(['security.istio.io'], ['authorizationpolicies/status'], readWrite),
  rule([''], ['services/status'], readWrite),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], read),
  rule([''], ['pods', 'nodes', 'services', 'namespaces', 'endpoints'], read),
  rule(['discovery.k8s.io'], ['endpointslices'], read),
  rule(['networking.k8s.io'], ['ingresses', 'ingressclasses'], read),
  rule(['networking.k8s.io'], ['ingresses/status'], ['*']),
  rule([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'update']),
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  rule(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io'], ['*'], ['get', 'watch', 'list']),
  rule(['gateway.networking.x-k8s.io'], ['xbackendtrafficpolicies/status'], ['update', 'patch']),
  rule(['gateway.networking.k8s.io'], gatewayApiStatus, ['update', 'patch']),
  rule(['gateway.networking.k8s.io'], ['gatewayclasses'], ['create', 'update', 'patch', 'delete']),
  rule(['inference.networking.k8s.io'], ['inferencepools'], ['get', 'watch', 'list']),
  rule(['inference.networking.k8s.io'], ['inferencepools/status'], ['update', 'patch']),
  rule([''], ['secrets'], ['get', 'watch', 'list']),
  rule(['multicluster.x-k8s.io'], ['serviceexports'], ['get', 'watch', 'list', 'create', 'delete']),
  rule(['multicluster.x-k8s.io'], ['serviceimports'], ['get', 'watch', 'list']),
];

/** What istiod needs to deploy Gateway API gateways and waypoints itself. */
const gatewayControllerRules: Rule[] = [
  rule(['apps'], ['deployments'], readWrite),
  rule(['autoscaling'], ['horizontalpodautoscalers'], readWrite),
  rule(['policy'], ['poddisruptionbudgets'], readWrite),
  rule([''], ['services'], readWrite),
  rule([''], ['serviceaccounts'], readWrite),
];

/** Read access for other clusters' istiods (multicluster remote secrets). */
const readerRules: Rule[] = [
  rule(istioGroups, ['*'], read),
  rule(
    [''],
    [
      'endpoints',
      'pods',
      'services',
      'nodes',
      'replicationcontrollers',
      'namespaces',
      'secrets',
      'configmaps',
    ],
    read,
  ),
  rule(['networking.istio.io'], ['workloadentries'], ['get', 'watch', 'list']),
  rule(['networking.x-k8s.io', 'gateway.networking.k8s.io'], ['gateways'], ['get', 'watch', 'list']),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], read),
  rule(['discovery.k8s.io'], ['endpointslices'], read),
  rule(['multicluster.x-k8s.io'], ['serviceexports'], ['get', 'list', 'watch', 'create', 'delete']),
  rule(['multicluster.x-k8s.io'], ['serviceimports'], read),
  rule(['apps'], ['replicasets'], read),
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
];

const namespacedRules: Rule[] = [
  rule(['networking.istio.io'], ['gateways'], ['create']),
  rule([''], ['secrets'], ['create', 'get', 'watch', 'list', 'update', 'delete']),
  rule([''], ['configmaps'], ['delete']),
  rule(['coordination.k8s.io'], ['leases'], ['get', 'update', 'patch', 'create']),
];

const rbacApi = 'rbac.authorization.k8s.io/v1';

function clusterRoleAndBinding(
  name: string,
  app: string,
  rules: Rule[],
  subject: { name: string; namespace: string },
): KubeObject[] {
  const metadata = { name, labels: { app } };
  return [
    { apiVersion: rbacApi, kind: 'ClusterRole', metadata, rules },
    {
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', ...subject }],
    },
  ];
}

/** A remote cluster's reader also maintains the injector webhook and the CA root ConfigMap for the remote istiod. */
const remoteReaderRules: Rule[] = [
  rule([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'update']),
  ...webhookRules,
];

const rbacSuffix = (ctx: RenderContext): string =>
  `${ctx.revision ? `${ctx.revision}-` : ''}${ctx.namespace}`;

export interface IstiodRbacOptions {
  /** istiod removes its CNI taint from nodes (values.pilot.taint.enabled). */
  untaintNodes: boolean;
}

/** istiod's own cluster roles, namespaced Role, and their bindings to its ServiceAccount. */
export function istiodRbac(
  ctx: RenderContext,
  serviceAccount: string,
  options: IstiodRbacOptions,
): KubeObject[] {
  const suffix = rbacSuffix(ctx);
  const istiod = { name: serviceAccount, namespace: ctx.namespace };
  const roleName = revisioned(ctx, 'istiod');
  const roleMeta = { name: roleName, namespace: ctx.namespace, labels: { app: 'istiod' } };
  const rules = options.untaintNodes ? [...istiodRules, rule([''], ['nodes'], ['patch'])] : istiodRules;
  return [
    ...clusterRoleAndBinding(`istiod-clusterrole-${suffix}`, 'istiod', rules, istiod),
    ...clusterRoleAndBinding(`istiod-gateway-controller-${suffix}`, 'istiod', gatewayControllerRules, istiod),
    { apiVersion: rbacApi, kind: 'Role', metadata: roleMeta, rules: namespacedRules },
    {
      apiVersion: rbacApi,
      kind: 'RoleBinding',
      metadata: roleMeta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
      subjects: [{ kind: 'ServiceAccount', ...istiod }],
    },
  ];
}

/** The reader role other clusters' istiods use through the reader ServiceAccount (rendered by base). */
export function readerRbac(ctx: RenderContext, remote: boolean): KubeObject[] {
  const rules = remote ? [...readerRules, ...remoteReaderRules] : readerRules;
  return clusterRoleAndBinding(`istio-reader-clusterrole-${rbacSuffix(ctx)}`, 'istio-reader', rules, {
    name: 'istio-reader-service-account',
    namespace: ctx.namespace,
  });
}
