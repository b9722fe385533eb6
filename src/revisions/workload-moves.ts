// Which workload a pod on an old revision moves with: the one decision `meshop upgrade --dry-run` previews and
// the operator's migration carries out. A pod is moved by restarting the workload that controls it (its
// controller owner, as Kubernetes means it: the owner reference with `controller: true`): a Deployment through
// its ReplicaSet, a StatefulSet or a DaemonSet directly. Bare Pods and Jobs' pods are never restarted by meshop:
// they are reported for a person to restart.
import type { ObjectMeta } from '../objects/index.ts';

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

export const RestartableKind = {
  Deployment: 'Deployment',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
} as const;
export type RestartableKind = (typeof RestartableKind)[keyof typeof RestartableKind];

export interface WorkloadRef {
  readonly kind: RestartableKind;
  readonly namespace: string;
  readonly name: string;
}

/** Restart this workload; or leave the pod to a person (`job` names the Job that owns it, if one does). */
export type PodMove =
  | { readonly restart: WorkloadRef }
  | { readonly manual: { readonly namespace: string; readonly pod: string; readonly job?: string } };

interface WithMeta {
  readonly metadata: ObjectMeta;
}

/** ReplicaSet `namespace/name` -> its controller owner (undefined: none, or the ReplicaSet is gone). */
export type ReplicaSetOwners = ReadonlyMap<string, OwnerRef | undefined>;

/** The owner that controls the object; owners that do not control it (garbage-collection only) do not count. */
export function controllerOf(obj: WithMeta): OwnerRef | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller === true);
  if (typeof ref?.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  return { kind: ref.kind, name: ref.name };
}

const replicaSetKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** The ReplicaSets (`namespace/name`) whose owners must be read to place these pods. */
export function replicaSetsOf(pods: readonly WithMeta[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    const owner = controllerOf(pod);
    if (owner?.kind === 'ReplicaSet') keys.add(replicaSetKey(pod.metadata.namespace ?? '', owner.name));
  }
  return [...keys].sort();
}

/** What moves `pod` to a new revision. */
export function podMove(pod: WithMeta, replicaSets: ReplicaSetOwners): PodMove {
  const namespace = pod.metadata.namespace ?? '';
  const manual = { manual: { namespace, pod: pod.metadata.name ?? '' } };
  const owner = controllerOf(pod);
  switch (owner?.kind) {
    case RestartableKind.StatefulSet:
    case RestartableKind.DaemonSet:
      return { restart: { kind: owner.kind, namespace, name: owner.name } };
    case 'ReplicaSet': {
      const deployment = replicaSets.get(replicaSetKey(namespace, owner.name));
      if (deployment?.kind !== RestartableKind.Deployment) return manual;
      return { restart: { kind: RestartableKind.Deployment, namespace, name: deployment.name } };
    }
    case 'Job':
      return { manual: { ...manual.manual, job: owner.name } };
    default:
      // No controller, or one meshop does not know how to restart.
      return manual;
  }
}

/** `Kind namespace/name`, as status and the plan name a workload. */
export const describeWorkload = (w: WorkloadRef): string => `${w.kind} ${w.namespace}/${w.name}`;
