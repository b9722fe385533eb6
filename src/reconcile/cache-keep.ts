// What the operator's largest caches keep of each object: only what the reconciler reads. A cluster's pods and
// workloads are most of the operator's memory at scale (issue #14: under 150 MB at 20,000 pods); the informers
// apply these as objects arrive, page by page, so the rest is never held.
import type { KubeObject } from '../kube/index.ts';
import { IstioAnnotation } from '../objects/index.ts';
import type { ObjectMeta } from '../objects/index.ts';

/** Only the entries of `from` named in `keys`; undefined when none is there. */
function only(
  from: Record<string, string> | undefined,
  keys: readonly string[],
): Record<string, string> | undefined {
  if (!from) return undefined;
  const kept = Object.fromEntries(keys.flatMap((k) => (from[k] === undefined ? [] : [[k, from[k]]])));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * What the pod cache keeps of a pod: what the reconciler reads (the proxy's revision from the injection's
 * annotations, the controlling owner and the template hash that name its workload, whether it is terminating)
 * and what a cache needs (name, namespace, uid, resourceVersion). A large cluster's pods are most of the
 * operator's memory; the rest of their metadata is never read (issue #14).
 */
export function keepPodUsage(pod: KubeObject): KubeObject {
  const m = pod.metadata;
  const owner = m.ownerReferences?.filter((r) => r.controller === true);
  const kept = {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    deletionTimestamp: m.deletionTimestamp,
    labels: only(m.labels, ['pod-template-hash']),
    annotations: only(m.annotations, [IstioAnnotation.sidecarStatus, IstioAnnotation.revision]),
    ownerReferences: owner?.length ? owner : undefined,
  };
  // Absent, not undefined: the metadata type has no room for undefined values.
  const metadata = Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== undefined)) as ObjectMeta;
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata };
}

/**
 * What the caches of owned kinds and workloads keep: the object with its managedFields cut to who wrote it (a
 * Conflict names the writer). Nothing in the operator reads the field sets (the apply engine compares the
 * rendered object with the live one, `isConverged`), and they are often most of an object: meshop's own entry
 * of an Istio CRD mirrors its whole schema (issue #14).
 */
export function keepWriters(obj: KubeObject): KubeObject {
  const fields = obj.metadata.managedFields;
  if (fields === undefined) return obj;
  const writers = fields.map(({ manager, operation }) => ({ manager, operation }));
  return { ...obj, metadata: { ...obj.metadata, managedFields: writers } };
}
