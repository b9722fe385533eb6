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
  /** The gated phase that is not ready yet, and why; undefined when every phase was applied. */
  waitingOn?: { phase: string; reasons: string[] };
}

/** The rendered object stamped with the hash of what was rendered (before live-owned fields are merged in). */
function stamped(desired: KubeObject): KubeObject {
  const annotations = { ...desired.metadata.annotations, [renderHashAnnotation]: renderHash(desired) };
  return { ...desired, metadata: { ...desired.metadata, annotations } };
}

export async function applyObject(client: ObjectClient, desired: KubeObject): Promise<AppliedObject> {
  const ref = describeRef(refOf(desired));
  const live = await client.find(refOf(desired));
  const intent = withLiveOwnedFields(stamped(desired), live);
  if (live && isConverged(intent, live)) return { ref, action: ApplyAction.Unchanged, live };
  try {
    const result = await client.apply(intent, { fieldManager, force: true });
    return { ref, action: live ? ApplyAction.Updated : ApplyAction.Created, live: result };
  } catch (err) {
    throw new Error(`apply ${ref}: ${(err as Error).message}`, { cause: err });
  }
}

/** A few applies in flight at once: fast on a real cluster, gentle on the API server's priority and fairness. */
async function applyAll(client: ObjectClient, objects: readonly KubeObject[]): Promise<AppliedObject[]> {
  const results: AppliedObject[] = [];
  const width = 8;
  for (let i = 0; i < objects.length; i += width) {
    results.push(...(await Promise.all(objects.slice(i, i + width).map((o) => applyObject(client, o)))));
  }
  return results;
}

function notReady(applied: readonly AppliedObject[]): string[] {
  return applied.flatMap((a) => {
    const r = readinessOf(a.live);
    return r.ready ? [] : [`${a.ref}: ${r.reason}`];
  });
}

export async function applyPhases(client: ObjectClient, phases: readonly Phase[]): Promise<ApplyRun> {
  const applied: AppliedObject[] = [];
  for (const phase of phases) {
    const results = await applyAll(client, phase.objects);
    applied.push(...results);
    const reasons = phase.gated ? notReady(results) : [];
    if (reasons.length > 0) return { applied, waitingOn: { phase: phase.name, reasons } };
  }
  return { applied };
}
