// A total, stable order of rendered objects, so that output is byte-stable and diffs of golden files and GitOps
// repos stay small. Within a component, kinds follow the order they can be applied in (definitions and
// identities before what uses them, Services last as istioctl does); ties break by namespace and name.
import type { KubeObject } from '../objects/index.ts';

const kindRank: Readonly<Record<string, number>> = {
  CustomResourceDefinition: 0,
  Namespace: 1,
  ServiceAccount: 2,
  ClusterRole: 3,
  ClusterRoleBinding: 4,
  Role: 5,
  RoleBinding: 6,
  ConfigMap: 7,
  Secret: 7,
  NetworkAttachmentDefinition: 8,
  Deployment: 10,
  DaemonSet: 10,
  StatefulSet: 10,
  PodDisruptionBudget: 11,
  HorizontalPodAutoscaler: 12,
  Service: 13,
  MutatingWebhookConfiguration: 20,
  ValidatingWebhookConfiguration: 21,
  ValidatingAdmissionPolicy: 22,
  ValidatingAdmissionPolicyBinding: 23,
};
const otherKinds = 15;

function rank(obj: KubeObject): number {
  return kindRank[obj.kind] ?? otherKinds;
}

function key(obj: KubeObject): string {
  return `${obj.kind}\u0000${obj.metadata.namespace ?? ''}\u0000${obj.metadata.name ?? ''}`;
}

export function compareObjects(a: KubeObject, b: KubeObject): number {
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function sortObjects(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(compareObjects);
}
