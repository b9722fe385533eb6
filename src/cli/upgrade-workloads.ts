// What a revision change reaches in the cluster: the namespaces that name the old revision, and the workloads
// whose pods run its proxy. Pods are found by the label every injection writes (never a list of every pod),
// kept when their injection annotations name the revision (injection writes no istio.io/rev label on a pod);
// which workload each moves with is src/revisions' decision (podMove), the one the operator's migration makes.
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import {
  IstioLabel,
  describeWorkload,
  injectedPodSelector,
  podMove,
  podProxyRevision,
} from '../revisions/index.ts';
import type { ReplicaSetOwners } from '../revisions/index.ts';
import { replicaSetOwners } from '../reconcile/migration-stage.ts';
import type { WorkloadScan } from './upgrade-plan.ts';

const podType = { apiVersion: 'v1', kind: 'Pod' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };

const sortedUnique = (items: readonly string[]): string[] => [...new Set(items)].sort();

/** Sorts pods into restartable workloads, excluded ones and what needs a manual restart (src/revisions decides). */
export function classifyPods(
  pods: readonly KubeObject[],
  replicaSets: ReplicaSetOwners,
  excludeNamespaces: readonly string[],
): WorkloadScan {
  const restart: string[] = [];
  const excluded: string[] = [];
  const manual: string[] = [];
  for (const pod of pods) {
    const move = podMove(pod, replicaSets);
    if ('manual' in move) {
      const { namespace, pod: name, job } = move.manual;
      manual.push(job === undefined ? `Pod ${namespace}/${name}` : `Job ${namespace}/${job}`);
    } else if (excludeNamespaces.includes(move.restart.namespace))
      excluded.push(describeWorkload(move.restart));
    else restart.push(describeWorkload(move.restart));
  }
  return {
    restartable: sortedUnique(restart),
    manual: sortedUnique(manual),
    excluded: sortedUnique(excluded),
  };
}

// Finished pods run no proxy any more.
const runningPods = 'status.phase!=Succeeded,status.phase!=Failed';

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
