// A namespace meshop created is deleted only when nothing but meshop's own objects is left in it: deleting a
// namespace deletes everything inside, including users' workloads and Istio configuration. "Nothing" is every
// namespaced kind the API server serves (aggregated discovery), CRDs of other projects included, as the
// namespace controller itself would delete them.
import type { KubeObject, ObjectClient, ServedKinds, TypeRef } from '../kube/index.ts';
import { isKindNotServed } from '../kube/index.ts';
import { managedByValue, ownershipLabels } from '../render/index.ts';

const notOurs = `${ownershipLabels.managedBy}!=${managedByValue}`;

/** What the cluster itself, or istiod, publishes in every namespace: not a user's. */
const publishedEverywhere = new Set(['kube-root-ca.crt', 'istio-ca-root-cert', 'istio-ca-crl']);

/** A leader-election lock kept in a ConfigMap (istiod's `istio-leader`, `istio-ip-autoallocate`, ...). */
const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';

/**
 * Objects that are state of the cluster or of istiod, not a user's: the ConfigMaps published everywhere and
 * leader-election locks. istiod's self-signed root CA Secret is left out by the list's field selector below.
 */
function isSystemObject(kind: string, o: KubeObject): boolean {
  const name = o.metadata.name ?? '';
  if (publishedEverywhere.has(name) || name.startsWith('istio.')) return true;
  // The ServiceAccount the cluster makes in every namespace.
  if (kind === 'ServiceAccount' && name === 'default') return true;
  return kind === 'ConfigMap' && o.metadata.annotations?.[leaderAnnotation] !== undefined;
}

/**
 * Kinds that are the cluster's record of what happened or who leads, never a user's content: Events, Leases
 * (leader-election locks, istiod's among them), and Endpoints, a Service's addresses (the Service is what counts,
 * also for a Service without selector whose Endpoints were written by hand).
 */
const transientKinds = new Set(['Event', 'Lease', 'Endpoints']);

/**
 * An object owned by another object in its namespace goes with that owner (the garbage collector deletes it),
 * and the owner is looked at in its own right: a Pod of a user's ReplicaSet keeps the namespace because the
 * ReplicaSet (through its Deployment) does. An owner of a cluster-scoped or unknown kind does not count.
 */
function ownedInNamespace(served: ServedKinds, o: KubeObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((ref) =>
    served.namespaced.has(`${String(ref.apiVersion)} ${String(ref.kind)}`),
  );
}

/**
 * Only existence matters here, so objects are listed as metadata: Secrets' data never reaches the operator.
 * istiod's self-signed root CA (type `istio.io/ca-root`, written when no `cacerts` is plugged in) is filtered by
 * the API server on its type, which metadata does not carry; a user's `cacerts` Secret is theirs and keeps the
 * namespace.
 */
const listFor = (kind: TypeRef, namespace: string) => ({
  namespace,
  labelSelector: notOurs,
  pageSize: 50,
  metadataOnly: true,
  ...(kind.kind === 'Secret' ? { fieldSelector: 'type!=istio.io/ca-root' } : {}),
});

/**
 * Whether anything but meshop's own objects and the cluster's bookkeeping is in the namespace. A group whose
 * discovery is stale (an aggregated API server down) might hold anything, so it counts as holding something.
 */
export async function namespaceHoldsOthers(client: ObjectClient, namespace: string): Promise<boolean> {
  const served = await client.discovery.servedKinds();
  if (served.stale.length > 0) return true;
  for (const kind of served.listable) {
    if (transientKinds.has(kind.kind)) continue;
    let items;
    try {
      items = (await client.list(kind, listFor(kind, namespace))).items;
    } catch (err) {
      if (isKindNotServed(err)) continue; // removed since discovery answered (Istio CRDs going)
      throw err;
    }
    if (items.some((o) => !isSystemObject(kind.kind, o) && !ownedInNamespace(served, o))) return true;
  }
  return false;
}
