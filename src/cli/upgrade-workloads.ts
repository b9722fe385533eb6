// What a revision change reaches in the cluster: the namespaces that name the old revision, and the workloads
// whose pods run its proxy. Pods are found by the label every injection writes (never a list of every pod),
// kept when their injection annotations name the revision (injection writes no istio.io/rev label on a pod),
// then mapped to the workload that owns them through ownerReferences (Pod -> ReplicaSet -> Deployment), as a
// restart must patch the owner, not the pod.
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { IstioLabel, injectedPodSelector, podProxyRevision } from '../revisions/index.ts';
import type { WorkloadScan } from './upgrade-plan.ts';

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
const runningPods = 'status.phase!=Succeeded,status.phase!=Failed';

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

/** The workloads whose running pods run the proxy of `revision`. */
export async function scanWorkloads(
  client: ObjectClient,
  revision: string,
  excludeNamespaces: readonly string[],
): Promise<WorkloadScan> {
  // Owners and annotations are metadata: the pod specs of every injected pod need not cross the wire.
  const { items } = await client.list(podType, {
    labelSelector: injectedPodSelector,
    fieldSelector: runningPods,
    metadataOnly: true,
  });
  const pods = items.filter((pod) => podProxyRevision(pod.metadata) === revision);
  return classifyPods(pods, await replicaSetOwners(client, pods), excludeNamespaces);
}

/** Namespaces labelled istio.io/rev=<revision>, sorted. */
export async function namespacesUsing(client: ObjectClient, revision: string): Promise<string[]> {
  const { items } = await client.list(namespaceType, {
    labelSelector: `${IstioLabel.revision}=${revision}`,
  });
  return items.map((n) => n.metadata.name ?? '').sort();
}
