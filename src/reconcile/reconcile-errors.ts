// The one table that decides what a failed reconcile does next (STYLE.md): retry through the work queue's
// per-key rate limiter, or not retry at all until the spec changes — and which condition reason says so. (A
// reconcile that is waiting for something, a rollout, is not a failure: it asks to be looked at again after a
// while through its result, not through this table.)
import { ConditionReason } from '../api/index.ts';
import { ClaimConflictError } from '../apply/index.ts';
import { isConflict } from '../kube/index.ts';

export const Retry = {
  /** Nothing will change until the user edits the spec (which wakes the reconciler by itself). */
  Never: 'never',
  /**
   * Retried by the work queue's per-key rate limiter (exponential backoff, 5 ms doubling to 1000 s): a lost
   * optimistic-concurrency race is retried at once and converges; an outage backs off.
   */
  Backoff: 'backoff',
} as const;
export type Retry = (typeof Retry)[keyof typeof Retry];

/** The spec cannot be rendered as written: the message names the field. */
export class InvalidSpecError extends Error {
  override name = 'InvalidSpecError';
}

/** Another MeshConfig already owns the revision in that namespace. */
export class ConflictingMeshError extends Error {
  override name = 'ConflictingMeshError';
}

/** The version asked for is unknown, or too far from what the mesh's revisions run (see src/revisions). */
export class VersionSkewError extends Error {
  override name = 'VersionSkewError';
}

/** A revision tag has the name of one of the mesh's revisions: `istio.io/rev=<name>` could mean either. */
export class TagNamedLikeRevisionError extends Error {
  override name = 'TagNamedLikeRevisionError';
}

export interface ErrorClass {
  retry: Retry;
  reason: string;
}

/**
 * The class of the first error in the `cause` chain that has one: a step that wraps an error to add context
 * (`new Error('applying gateways', { cause })`) must not turn a spec the user has to fix into an endless backoff.
 */
export function classify(err: unknown): ErrorClass {
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 10; depth++) {
    const known = classOf(e);
    if (known) return known;
    e = e instanceof Error ? e.cause : undefined;
  }
  return { retry: Retry.Backoff, reason: 'ApplyFailed' };
}

function classOf(err: unknown): ErrorClass | undefined {
  if (err instanceof InvalidSpecError) return { retry: Retry.Never, reason: 'InvalidSpec' };
  if (err instanceof ConflictingMeshError) return { retry: Retry.Never, reason: 'Conflict' };
  // Someone else's object: it may be deleted or the MeshConfig annotated to adopt it, so look again later.
  if (err instanceof ClaimConflictError) return { retry: Retry.Backoff, reason: 'Conflict' };
  if (err instanceof VersionSkewError) return { retry: Retry.Never, reason: ConditionReason.VersionSkew };
  if (err instanceof TagNamedLikeRevisionError) {
    return { retry: Retry.Never, reason: ConditionReason.TagNamedLikeRevision };
  }
  if (isConflict(err)) return { retry: Retry.Backoff, reason: 'ApplyConflict' };
  return undefined;
}
