// The gateway's identity and what it may read: its own ServiceAccount, and read access to the Secrets of its
// namespace, from which it serves the TLS certificates Gateways name (SDS). Nothing cluster-wide: this is why
// Istio advises a gateway in its own namespace.
import type { KubeObject } from '../../../kube/index.ts';
import { readList, readTree } from '../../values.ts';
import { componentLabels, gatewayLabels } from './gateway-labels.ts';
import type { GatewayModel } from './gateway-model.ts';
import { toStringMap } from './string-map.ts';

const rbacApi = 'rbac.authorization.k8s.io/v1';

export function serviceAccountName(model: GatewayModel): string {
  return `${model.name}-service-account`;
}

function sdsName(model: GatewayModel): string {
  return `${model.name}-sds`;
}

export function gatewayServiceAccount(model: GatewayModel): KubeObject {
  const annotations = toStringMap(readTree(model.gateway, 'serviceAccount.annotations'));
  const pullSecrets = readList(model.global, 'imagePullSecrets').filter((s) => typeof s === 'string');
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: serviceAccountName(model),
      namespace: model.namespace,
      labels: gatewayLabels(model),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
  };
}

export function gatewaySecretsRole(model: GatewayModel): KubeObject[] {
  const metadata = () => ({
    name: sdsName(model),
    namespace: model.namespace,
    labels: componentLabels(model),
  });
  return [
    {
      apiVersion: rbacApi,
      kind: 'Role',
      metadata: metadata(),
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    },
    {
      apiVersion: rbacApi,
      kind: 'RoleBinding',
      metadata: metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sdsName(model) },
      // A ServiceAccount subject without a namespace is the binding's own, as Istio writes it.
      subjects: [{ kind: 'ServiceAccount', name: serviceAccountName(model) }],
    },
  ];
}
