// The one way meshop writes objects: server-side apply with field manager `meshop` and force (the spec is the
// truth for the fields we render), skipped entirely when the live object already holds everything we would
// write. Phases go in order; a gated phase that is not ready yet stops the run, to be resumed by the next
// reconcile (level-based: nothing here waits or remembers).
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import { isConverged, renderHash, renderHashAnnotation } from './converged.ts';
import { withLiveOwnedFields } from './live-owned-fields.ts';
import type { Phase } from './plan.ts';
import { readinessOf } from './readiness.ts';

export const fieldManager = 'meshop';

export const ApplyAction = { Created: 'created', Updated: 'updated', Unchanged: 'unchanged' } as const;
export type ApplyAction = (typeof ApplyAction)[keyof typeof ApplyAction];

export interface AppliedObject {
  /** `Kind namespace/name`. */
  ref: string;
  action: ApplyAction;
  /** The object as the API server holds it after this step. */
  live: KubeObject;
}

export interface ApplyRun {
  applied: AppliedObject[];
  /** Objects that existed without being the caller's and were taken over (the claim check said `adopt`). */
  adopted: string[];
  /** The gated phase that is not ready yet, and why; undefined when every phase was applied. */
  waitingOn?: { phase: string; reasons: string[] };
}

/** The rendered object stamped with the hash of what was rendered (before live-owned fields are merged in). */
function stamped(desired: KubeObject): KubeObject {
  const annotations = { ...desired.metadata.annotations, [renderHashAnnotation]: renderHash(desired) };
  return { ...desired, metadata: { ...desired.metadata, annotations } };
}

/**
 * What the caller decides for an object that may already exist: apply it, take over one someone else made (an
 * apply the caller records), leave the live one alone (it stays as it is and counts as applied), or refuse because
 * it belongs to someone else (the reason names who).
 */
export type ClaimDecision =
  | { readonly kind: 'apply' }
  | { readonly kind: 'adopt' }
  | { readonly kind: 'leave' }
  | { readonly kind: 'conflict'; readonly reason: string };
export type ClaimCheck = (desired: KubeObject, live: KubeObject | undefined) => ClaimDecision;

const applyEverything: ClaimCheck = () => ({ kind: 'apply' });

export interface ApplyHooks {
  /** Called before the first write when objects are to be taken over, so the caller can record them first. */
  beforeAdopting?: (adopting: readonly string[]) => Promise<void>;
}

/** Rendered objects exist that the caller may not take over; nothing was written. */
export class ClaimConflictError extends Error {
  override name = 'ClaimConflictError';
  readonly conflicts: readonly string[];
  constructor(conflicts: readonly string[]) {
    const what = conflicts.length === 1 ? 'object exists' : 'objects exist';
    super(
      `${String(conflicts.length)} rendered ${what} that this owner did not create: ${conflicts.join('; ')}`,
    );
    this.conflicts = conflicts;
  }
}

/**
 * Applies `desired` over `live` (as read just before; undefined when absent). `live` is passed in, not read
 * here, so the claim check and the apply see the same object and it is read once.
 */
export async function applyObject(
  client: ObjectClient,
  desired: KubeObject,
  live?: KubeObject | null,
): Promise<AppliedObject> {
  const ref = describeRef(refOf(desired));
  const current = live === undefined ? await client.find(refOf(desired)) : (live ?? undefined);
  const intent = withLiveOwnedFields(stamped(desired), current);
  if (current && isConverged(intent, current)) return { ref, action: ApplyAction.Unchanged, live: current };
  try {
    const result = await client.apply(intent, { fieldManager, force: true });
    return { ref, action: current ? ApplyAction.Updated : ApplyAction.Created, live: result };
  } catch (err) {
    throw new Error(`apply ${ref}: ${(err as Error).message}`, { cause: err });
  }
}

/** A few requests in flight at once: fast on a real cluster, gentle on the API server's priority and fairness. */
async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const width = 8;
  for (let i = 0; i < items.length; i += width) {
    results.push(...(await Promise.all(items.slice(i, i + width).map(each))));
  }
  return results;
}

interface Prepared {
  desired: KubeObject;
  live: KubeObject | null;
  decision: ClaimDecision;
}

async function applyPrepared(client: ObjectClient, item: Prepared): Promise<AppliedObject> {
  if (item.decision.kind === 'leave' && item.live) {
    return { ref: describeRef(refOf(item.desired)), action: ApplyAction.Unchanged, live: item.live };
  }
  return applyObject(client, item.desired, item.live);
}

function notReady(applied: readonly AppliedObject[]): string[] {
  return applied.flatMap((a) => {
    const r = readinessOf(a.live);
    return r.ready ? [] : [`${a.ref}: ${r.reason}`];
  });
}

/**
 * Reads every object of every phase first and asks `claim` about each, so that an object the caller may not
 * take over stops the run before anything is written (ClaimConflictError); then applies phase by phase.
 */
export async function applyPhases(
  client: ObjectClient,
  phases: readonly Phase[],
  claim: ClaimCheck = applyEverything,
  hooks: ApplyHooks = {},
): Promise<ApplyRun> {
  // One batched pass over every phase's objects, so the reads keep the same few requests in flight as the writes.
  const all = await inBatches(
    phases.flatMap((phase) => phase.objects),
    async (desired): Promise<Prepared> => {
      const live = (await client.find(refOf(desired))) ?? null;
      return { desired, live, decision: claim(desired, live ?? undefined) };
    },
  );
  const conflicts = all.flatMap(({ desired, decision }) =>
    decision.kind === 'conflict' ? [`${describeRef(refOf(desired))} (${decision.reason})`] : [],
  );
  if (conflicts.length > 0) throw new ClaimConflictError(conflicts);
  const adopted = all.flatMap(({ desired, decision }) =>
    decision.kind === 'adopt' ? [describeRef(refOf(desired))] : [],
  );
  if (adopted.length > 0) await hooks.beforeAdopting?.(adopted);
  const applied: AppliedObject[] = [];
  let start = 0;
  for (const phase of phases) {
    const prepared = all.slice(start, start + phase.objects.length);
    start += phase.objects.length;
    const results = await inBatches(prepared, (item) => applyPrepared(client, item));
    applied.push(...results);
    const reasons = phase.gated ? notReady(results) : [];
    if (reasons.length > 0) return { applied, adopted, waitingOn: { phase: phase.name, reasons } };
  }
  return { applied, adopted };
}
