// The agent's identity and permissions, rule for rule as Istio grants them: it reads pods, nodes and
// namespaces everywhere; repairing broken pods and running ambient mode each add a role of their own.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { readBool, readList } from '../../values.ts';
import { appLabel, cniLabels, cniName, cniNodeName, repairLabel } from './cni-metadata.ts';
import type { Labels } from './cni-metadata.ts';
import type { CniValues } from './cni-values.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const rbacApi = 'rbac.authorization.k8s.io/v1';
const read = ['get', 'list', 'watch'];

/** OpenShift admits the agent's privileged pods only through the `privileged` SecurityContextConstraints. */
export const openshiftPrivilegedRule: Rule = {
  apiGroups: ['security.openshift.io'],
  resources: ['securitycontextconstraints'],
  resourceNames: ['privileged'],
  verbs: ['use'],
};

function agentRules(v: CniValues): Rule[] {
  const rules: Rule[] = [{ apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: read }];
  return v.platform === 'openshift' ? [...rules, openshiftPrivilegedRule] : rules;
}

/** The repair controller's action on a broken pod decides its one extra permission (none to repair in place). */
function repairRules(v: CniValues): Rule[] {
  const rules: Rule[] = [
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['watch', 'get', 'list'] },
  ];
  if (readBool(v.cni, 'repair.repairPods', true)) return rules;
  if (readBool(v.cni, 'repair.deletePods', false)) {
    return [...rules, { apiGroups: [''], resources: ['pods'], verbs: ['delete'] }];
  }
  if (readBool(v.cni, 'repair.labelPods', false)) {
    return [...rules, { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] }];
  }
  return rules;
}

/** Ambient mode labels pods it captured (through the lesser pods/status) and reads its own DaemonSet. */
const ambientRules: Rule[] = [
  { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
  { apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: [cniNodeName], verbs: ['get'] },
];

function clusterRole(ctx: RenderContext, name: string, rules: Rule[]): KubeObject {
  return {
    apiVersion: rbacApi,
    kind: 'ClusterRole',
    metadata: { name, labels: cniLabels(ctx, appLabel) },
    rules,
  };
}

function binding(
  ctx: RenderContext,
  v: CniValues,
  names: { binding: string; role: string },
  labels: Labels,
): KubeObject {
  return {
    apiVersion: rbacApi,
    kind: 'ClusterRoleBinding',
    metadata: { name: names.binding, labels: cniLabels(ctx, labels) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: names.role },
    subjects: [{ kind: 'ServiceAccount', name: cniName, namespace: v.namespace }],
  };
}

export function cniServiceAccount(ctx: RenderContext, v: CniValues): KubeObject {
  const pullSecrets = readList(v.global, 'imagePullSecrets');
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: cniName, namespace: v.namespace, labels: cniLabels(ctx, appLabel) },
    ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
  };
}

export function cniClusterRbac(ctx: RenderContext, v: CniValues): KubeObject[] {
  const objects: KubeObject[] = [
    clusterRole(ctx, cniName, agentRules(v)),
    binding(ctx, v, { binding: cniName, role: cniName }, appLabel),
  ];
  if (readBool(v.cni, 'repair.enabled', true)) {
    const role = `${cniName}-repair-role`;
    objects.push(clusterRole(ctx, role, repairRules(v)));
    objects.push(binding(ctx, v, { binding: `${cniName}-repair-rolebinding`, role }, repairLabel));
  }
  if (readBool(v.cni, 'ambient.enabled', false)) {
    const role = `${cniName}-ambient`;
    objects.push(clusterRole(ctx, role, ambientRules));
    objects.push(binding(ctx, v, { binding: role, role }, repairLabel));
  }
  return objects;
}
