// What a revision change reaches in the cluster: the namespaces that name the old revision, and the workloads
// whose pods it injected. Pods are found by label selector only (never a list of every pod), then mapped to the
// workload that owns them through ownerReferences (Pod -> ReplicaSet -> Deployment), as a restart must patch
// the owner, not the pod.
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import type { WorkloadScan } from './upgrade-plan.ts';

const revLabel = 'istio.io/rev';
const podType = { apiVersion: 'v1', kind: 'Pod' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };
const replicaSetType = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

interface OwnerRef {
  kind: string;
  name: string;
}

/** The owner that controls the object, else its first owner. */
export function controllerOf(obj: KubeObject): OwnerRef | undefined {
  const refs = (obj.metadata.ownerReferences ?? []) as unknown as (OwnerRef & { controller?: boolean })[];
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  return ref === undefined ? undefined : { kind: ref.kind, name: ref.name };
}

/** ReplicaSet `namespace/name` -> the owner of that ReplicaSet (undefined: a bare ReplicaSet). */
export type ReplicaSetOwners = ReadonlyMap<string, OwnerRef | undefined>;

type Verdict = { restart: string } | { manual: string };

function verdictFor(pod: KubeObject, replicaSets: ReplicaSetOwners): Verdict {
  const ns = pod.metadata.namespace ?? '';
  const bare = { manual: `Pod ${ns}/${pod.metadata.name ?? ''}` };
  const owner = controllerOf(pod);
  switch (owner?.kind) {
    case 'StatefulSet':
    case 'DaemonSet':
      return { restart: `${owner.kind} ${ns}/${owner.name}` };
    case 'ReplicaSet': {
      const deployment = replicaSets.get(`${ns}/${owner.name}`);
      return deployment?.kind === 'Deployment' ? { restart: `Deployment ${ns}/${deployment.name}` } : bare;
    }
    case 'Job':
      return { manual: `Job ${ns}/${owner.name}` };
    default:
      // No owner, or a controller meshop does not know how to restart.
      return bare;
  }
}

const sortedUnique = (items: readonly string[]): string[] => [...new Set(items)].sort();

/** Sorts pods into restartable workloads, excluded ones and what needs a manual restart. */
export function classifyPods(
  pods: readonly KubeObject[],
  replicaSets: ReplicaSetOwners,
  excludeNamespaces: readonly string[],
): WorkloadScan {
  const restart: string[] = [];
  const excluded: string[] = [];
  const manual: string[] = [];
  for (const pod of pods) {
    const verdict = verdictFor(pod, replicaSets);
    if ('manual' in verdict) manual.push(verdict.manual);
    else if (excludeNamespaces.includes(pod.metadata.namespace ?? '')) excluded.push(verdict.restart);
    else restart.push(verdict.restart);
  }
  return {
    restartable: sortedUnique(restart),
    manual: sortedUnique(manual),
    excluded: sortedUnique(excluded),
  };
}

// Finished pods run no proxy any more.
const isRunning = (pod: KubeObject): boolean => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
};

async function replicaSetOwners(
  client: ObjectClient,
  pods: readonly KubeObject[],
): Promise<ReplicaSetOwners> {
  const keys = new Set<string>();
  for (const pod of pods) {
    const owner = controllerOf(pod);
    if (owner?.kind === 'ReplicaSet') keys.add(`${pod.metadata.namespace ?? ''}/${owner.name}`);
  }
  const entries = await Promise.all(
    [...keys].map(async (key) => {
      const [namespace = '', name = ''] = key.split('/');
      const rs = await client.find({ ...replicaSetType, namespace, name });
      return [key, rs === undefined ? undefined : controllerOf(rs)] as const;
    }),
  );
  return new Map(entries);
}

/** The workloads whose running pods carry istio.io/rev=<revision>. */
export async function scanWorkloads(
  client: ObjectClient,
  revision: string,
  excludeNamespaces: readonly string[],
): Promise<WorkloadScan> {
  const { items } = await client.list(podType, { labelSelector: `${revLabel}=${revision}` });
  const pods = items.filter(isRunning);
  return classifyPods(pods, await replicaSetOwners(client, pods), excludeNamespaces);
}

/** Namespaces labelled istio.io/rev=<revision>, sorted. */
export async function namespacesUsing(client: ObjectClient, revision: string): Promise<string[]> {
  const { items } = await client.list(namespaceType, { labelSelector: `${revLabel}=${revision}` });
  return items.map((n) => n.metadata.name ?? '').sort();
}
