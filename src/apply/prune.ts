// Prune: delete what carries our ownership labels but is no longer rendered, in reverse apply order
// (webhooks before the istiod they call, workloads before their RBAC). Only objects the selector matches, and
// that the owner's inventory records as applied by it, are candidates, so nothing a user or another tool created
// is ever touched, even one that carries a copy of our labels.
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
  /** `Kind namespace/name` of everything the owner applied; when given, nothing else is a candidate. */
  applied?: ReadonlySet<string>;
  /** Told the `Kind namespace/name` of every object the selector matched, candidate or not. */
  seen?: (ref: string) => void;
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
      const ref = describeRef(refOf(obj));
      opts.seen?.(ref);
      if (opts.keep.has(ref)) continue;
      if (opts.applied && !opts.applied.has(ref)) continue;
      if (opts.protect?.(obj)) continue;
      out.push(obj);
    }
  }
  return out;
}

/** Deletes the candidates; returns the `Kind namespace/name` of each. */
export async function prune(client: ObjectClient, opts: PruneOptions): Promise<string[]> {
  const deleted: string[] = [];
  for (const obj of await pruneCandidates(client, opts)) {
    if (obj.metadata.deletionTimestamp) continue;
    await client.delete(refOf(obj), { propagationPolicy: 'Background' });
    deleted.push(describeRef(refOf(obj)));
  }
  return deleted;
}
