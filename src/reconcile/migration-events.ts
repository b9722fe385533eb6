// The Events a migration step records: workloads restarted, a batch that blocked the migration, bare Pods and
// Jobs a person must restart. Each once per change, not on every pass.
import type { MigrationStatus } from '../api/index.ts';
import type { RestartDecision } from '../revisions/index.ts';
import { EventType } from './events.ts';

type MeshEvent = [EventType, string, string];

function restartedEvent(decision: RestartDecision): MeshEvent[] {
  if (decision.restart.length === 0) return [];
  const progress = `${String(decision.status.done ?? 0)}/${String(decision.status.total ?? 0)} done`;
  return [[EventType.Normal, 'WorkloadsRestarted', `restarted ${decision.restart.join(', ')} (${progress})`]];
}

function blockedEvent(decision: RestartDecision, previous: MigrationStatus | undefined): MeshEvent[] {
  if (decision.blockedBy === undefined || previous?.blockedBy === decision.blockedBy) return [];
  const why = `${decision.blockedBy} did not become ready in time; no more workloads are restarted`;
  return [[EventType.Warning, 'MigrationBlocked', why]];
}

function manualEvent(decision: RestartDecision, previous: MigrationStatus | undefined): MeshEvent[] {
  const manual = decision.status.manualRestartRequired ?? [];
  if (manual.length === 0 || manual.join() === (previous?.manualRestartRequired ?? []).join()) return [];
  const why = `bare Pods or Jobs still run an old proxy and are never deleted by meshop: ${manual.join(', ')}`;
  return [[EventType.Warning, 'ManualRestartRequired', why]];
}

export function restartEvents(decision: RestartDecision, previous: MigrationStatus | undefined): MeshEvent[] {
  return [
    ...restartedEvent(decision),
    ...blockedEvent(decision, previous),
    ...manualEvent(decision, previous),
  ];
}
