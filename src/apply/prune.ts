// Prune: delete what carries our ownership labels but is no longer rendered, in reverse apply order
// (webhooks before the istiod they call, workloads before their RBAC). Only objects the selector matches are
// candidates, so nothing a user or another tool created is ever touched.
import type { KubeObject, ObjectClient, TypeRef } from '../kube/index.ts';
import { describeRef, isKindNotServed, refOf } from '../kube/index.ts';

export interface PruneOptions {
  /** Label selector of everything this owner ever applied. */
  selector: string;
  /** The kinds to look in, in apply order. */
  kinds: readonly TypeRef[];
  /** `Kind namespace/name` of every object still rendered. */
  keep: ReadonlySet<string>;
  /** Objects never to delete even when no longer rendered (e.g. CRDs without teardown.removeCRDs). */
  protect?: (obj: KubeObject) => boolean;
}

/** Listing a kind the cluster does not serve (an optional CRD such as NetworkAttachmentDefinition) finds nothing. */
async function listOwned(client: ObjectClient, kind: TypeRef, selector: string): Promise<KubeObject[]> {
  try {
    return (await client.list(kind, { labelSelector: selector })).items;
  } catch (err) {
    if (isKindNotServed(err)) return [];
    throw err;
  }
}

/** What would be pruned, in deletion order. */
export async function pruneCandidates(client: ObjectClient, opts: PruneOptions): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const kind of [...opts.kinds].reverse()) {
    for (const obj of await listOwned(client, kind, opts.selector)) {
      if (opts.keep.has(describeRef(refOf(obj)))) continue;
      if (opts.protect?.(obj)) continue;
      out.push(obj);
    }
  }
  return out;
}

export async function prune(client: ObjectClient, opts: PruneOptions): Promise<string[]> {
  const deleted: string[] = [];
  for (const obj of await pruneCandidates(client, opts)) {
    if (obj.metadata.deletionTimestamp) continue;
    await client.delete(refOf(obj), { propagationPolicy: 'Background' });
    deleted.push(describeRef(refOf(obj)));
  }
  return deleted;
}
