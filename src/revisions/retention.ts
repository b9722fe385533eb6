// Which old revisions stay and which go. An old revision is removed only when the one the spec asks for is
// ready, nothing has used the old one for the whole grace period, and the check itself succeeded; the grace
// period counts from `since` in status, so no timer lives in memory and a restarted operator keeps counting.
import type { InUse, RevisionStatus } from '../api/index.ts';
import { ConditionStatus, InUseReason } from '../api/index.ts';
import { describeUsage, isUsed } from './in-use.ts';
import type { Usage } from './in-use.ts';

export interface ObservedRevision {
  name: string;
  version: string;
  ready: boolean;
}

export interface RetentionInput {
  desired: string;
  desiredVersion: string;
  /** Whether the desired revision serves (its istiod and everything gated behind it applied and ready). */
  desiredReady: boolean;
  /** Revisions of the mesh found on the cluster (their istiod Deployments). */
  observed: readonly ObservedRevision[];
  /** Usage per revision, or the reason the check failed. */
  usage: Map<string, Usage> | { error: string };
  previous: readonly RevisionStatus[] | undefined;
  graceSeconds: number;
  now: Date;
}

export interface RetentionPlan {
  revisions: RevisionStatus[];
  /** Old revisions to delete now. */
  remove: string[];
  /** Old revisions that stay (in use, in their grace period, or waiting for the new one). */
  keep: string[];
  /** When the earliest grace period ends, if one is running. */
  requeueAfterMs?: number;
}

const maxNamespacesInStatus = 50;

function inUseOf(usage: RetentionInput['usage'], revision: string): InUse {
  if (!(usage instanceof Map)) {
    return { status: ConditionStatus.Unknown, reason: InUseReason.CheckFailed, message: usage.error };
  }
  const u = usage.get(revision) ?? { tags: [], namespaces: [], pods: 0, gateways: [] };
  const detail = {
    tags: u.tags,
    namespaces: u.namespaces.slice(0, maxNamespacesInStatus),
    pods: u.pods,
    gateways: u.gateways,
  };
  return isUsed(u)
    ? { status: ConditionStatus.True, reason: InUseReason.Referenced, message: describeUsage(u), ...detail }
    : {
        status: ConditionStatus.False,
        reason: InUseReason.Unreferenced,
        message: 'nothing uses it',
        ...detail,
      };
}

function revisionStatus(input: RetentionInput, observed: ObservedRevision): RevisionStatus {
  const inUse = inUseOf(input.usage, observed.name);
  const before = input.previous?.find((r) => r.name === observed.name);
  const since =
    before?.since !== undefined && before.inUse?.status === inUse.status
      ? before.since
      : input.now.toISOString();
  return { name: observed.name, version: observed.version, ready: observed.ready, inUse, since };
}

export function planRetention(input: RetentionInput): RetentionPlan {
  const observed = input.observed.some((r) => r.name === input.desired)
    ? input.observed
    : [...input.observed, { name: input.desired, version: input.desiredVersion, ready: false }];
  const revisions = observed
    .map((r) => revisionStatus(input, r))
    .sort((a, b) => a.name.localeCompare(b.name));
  const plan: RetentionPlan = { revisions, remove: [], keep: [] };
  for (const rev of revisions) {
    if (rev.name === input.desired) continue;
    const unusedFor = input.now.getTime() - Date.parse(rev.since ?? input.now.toISOString());
    const left = input.graceSeconds * 1000 - unusedFor;
    if (!input.desiredReady || rev.inUse?.status !== ConditionStatus.False) {
      plan.keep.push(rev.name);
    } else if (left > 0) {
      plan.keep.push(rev.name);
      plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, left);
    } else {
      plan.remove.push(rev.name);
    }
  }
  return plan;
}
