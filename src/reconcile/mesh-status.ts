// The MeshConfig's status after a reconcile, and the one merge patch that writes it (none when nothing changed).
import { generate } from 'json-merge-patch';
import type { ComponentStatus, Condition, MeshConfigStatus } from '../api/index.ts';
import { ComponentPhase, ConditionReason, ConditionStatus, ConditionType } from '../api/index.ts';
import { setCondition } from './conditions.ts';
import type { NewCondition } from './conditions.ts';

export interface StatusInput {
  previous: MeshConfigStatus | undefined;
  generation: number;
  now: string;
}

function withConditions(input: StatusInput, updates: readonly NewCondition[]): Condition[] {
  let conditions = input.previous?.conditions ?? [];
  for (const u of updates)
    conditions = setCondition(conditions, u, { now: input.now, generation: input.generation });
  return conditions;
}

const condition = (type: string, ok: boolean, reason: string, message: string): NewCondition => ({
  type,
  status: ok ? ConditionStatus.True : ConditionStatus.False,
  reason,
  message,
});

/** A reconcile that applied (all of it, or up to a gate that is not ready yet). */
export function appliedStatus(
  input: StatusInput,
  components: ComponentStatus[],
  waitingOn: string | undefined,
): MeshConfigStatus {
  const pending = components.filter((c) => c.phase !== ComponentPhase.Healthy);
  const ready = waitingOn === undefined && pending.length === 0;
  const notReady = pending.map((c) => `${c.name}: ${c.message ?? c.phase}`).join('; ');
  const conditions = withConditions(input, [
    waitingOn === undefined
      ? condition(ConditionType.Reconciled, true, 'Applied', 'every rendered object is applied')
      : condition(ConditionType.Reconciled, false, 'WaitingForDependencies', `waiting for ${waitingOn}`),
    condition(
      ConditionType.Ready,
      ready,
      ready ? 'ComponentsReady' : 'ComponentsNotReady',
      ready ? 'all components are ready' : notReady,
    ),
    condition(ConditionType.Degraded, false, 'AsExpected', ''),
  ]);
  return { ...input.previous, observedGeneration: input.generation, conditions, components };
}

/**
 * A reconcile that changed nothing on the cluster (invalid spec, conflict, failure): Reconciled and Degraded say
 * why; Ready and the components keep describing the installation that is still running.
 */
export function refusedStatus(input: StatusInput, reason: string, message: string): MeshConfigStatus {
  const conditions = withConditions(input, [
    condition(ConditionType.Reconciled, false, reason, message),
    { type: ConditionType.Degraded, status: ConditionStatus.True, reason, message },
  ]);
  return { ...input.previous, observedGeneration: input.generation, conditions };
}

/** The merge patch from the stored status to the new one, or undefined when they are equal. */
export function statusPatch(
  previous: MeshConfigStatus | undefined,
  next: MeshConfigStatus,
): Record<string, unknown> | undefined {
  const patch = generate(previous ?? {}, next) as Record<string, unknown> | undefined;
  return patch === undefined ? undefined : { status: patch };
}

/**
 * Upgrading says whether workloads are still moving to the active revision; a migration stopped by a workload
 * that never became ready is Degraded, naming it.
 */
export function withMigrationConditions(
  status: MeshConfigStatus,
  migration: { migrating: boolean; blockedBy?: string },
  input: StatusInput,
): MeshConfigStatus {
  const m = status.migration;
  const progress = m ? `${String(m.done ?? 0)}/${String(m.total ?? 0)} workloads restarted` : '';
  const updates: NewCondition[] = [
    migration.migrating
      ? condition(ConditionType.Upgrading, true, ConditionReason.Migrating, progress)
      : condition(ConditionType.Upgrading, false, 'UpToDate', 'no workload runs an old revision'),
  ];
  if (migration.blockedBy !== undefined) {
    updates.push({
      type: ConditionType.Degraded,
      status: ConditionStatus.True,
      reason: ConditionReason.MigrationBlocked,
      message: `${migration.blockedBy} did not become ready within the batch timeout; no more workloads are restarted`,
    });
  }
  return { ...status, conditions: withConditions({ ...input, previous: status }, updates) };
}
