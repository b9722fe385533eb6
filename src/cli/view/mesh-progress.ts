// The progress of a MeshConfig install, read from its status alone: each component pending -> applying ->
// ready (or failed), and whether the mesh as a whole is ready, failed or still on its way. Pure: the wait loop
// feeds it snapshots, the views print what changed.
import type { ComponentStatus, Condition, MeshConfigStatus } from '../../api/index.ts';
import { ComponentPhase, ConditionStatus, ConditionType } from '../../api/index.ts';
import type { KubeObject } from '../../kube/index.ts';

export const ComponentState = {
  Pending: 'pending',
  Applying: 'applying',
  Ready: 'ready',
  Failed: 'failed',
} as const;
export type ComponentState = (typeof ComponentState)[keyof typeof ComponentState];

export interface ComponentProgress {
  /** The component, with its revision when it has one: `pilot (canary)`. */
  name: string;
  state: ComponentState;
  message: string;
}

export type MeshOutcome =
  { kind: 'waiting'; reason: string } | { kind: 'ready' } | { kind: 'failed'; message: string };

export interface ProgressSnapshot {
  /** Undefined until the operator reported on the generation being waited for. */
  components: ComponentProgress[] | undefined;
  outcome: MeshOutcome;
}

export type MeshWithStatus = KubeObject & { status?: MeshConfigStatus };

// The operator reports a component it has not applied yet, because an earlier phase is not ready, as
// Reconciling with this message (src/reconcile/component-status.ts); anything else Reconciling is rolling out.
const notAppliedPrefix = 'waiting for ';

// Degraded reasons the operator retries at once by itself: a lost optimistic-concurrency race, not a verdict.
const retriedReasons: ReadonlySet<string> = new Set(['ApplyConflict']);

function componentState(c: ComponentStatus): ComponentState {
  if (c.phase === ComponentPhase.Healthy) return ComponentState.Ready;
  if (c.phase === ComponentPhase.Error) return ComponentState.Failed;
  return (c.message ?? '').startsWith(notAppliedPrefix) ? ComponentState.Pending : ComponentState.Applying;
}

function componentProgress(c: ComponentStatus): ComponentProgress {
  const name = c.revision ? `${c.name} (${c.revision})` : c.name;
  return {
    name,
    state: componentState(c),
    message: c.phase === ComponentPhase.Healthy ? '' : (c.message ?? ''),
  };
}

const current = (c: Condition | undefined, generation: number): c is Condition =>
  c !== undefined && (c.observedGeneration ?? 0) >= generation;

function outcomeOf(
  status: MeshConfigStatus,
  components: readonly ComponentProgress[],
  generation: number,
): MeshOutcome {
  const conditions = status.conditions ?? [];
  const find = (type: string): Condition | undefined => conditions.find((c) => c.type === type);
  const ready = find(ConditionType.Ready);
  if (current(ready, generation) && ready.status === ConditionStatus.True) return { kind: 'ready' };
  const failed = components.find((c) => c.state === ComponentState.Failed);
  if (failed) return { kind: 'failed', message: `${failed.name}: ${failed.message}` };
  const degraded = find(ConditionType.Degraded);
  if (
    current(degraded, generation) &&
    degraded.status === ConditionStatus.True &&
    !retriedReasons.has(degraded.reason)
  ) {
    return { kind: 'failed', message: `${degraded.reason}: ${degraded.message}` };
  }
  return { kind: 'waiting', reason: current(ready, generation) ? ready.message : 'not ready yet' };
}

/**
 * Where the install of `generation` stands. A status about an older generation describes the previous spec,
 * so it says nothing about this one: until the operator catches up, the components are unknown.
 */
export function snapshotOf(mesh: MeshWithStatus | undefined, generation: number): ProgressSnapshot {
  if (mesh === undefined) {
    return { components: undefined, outcome: { kind: 'failed', message: 'the MeshConfig was deleted' } };
  }
  const status = mesh.status;
  if (status === undefined || (status.observedGeneration ?? 0) < generation) {
    const reason = `waiting for the operator to report on generation ${String(generation)}`;
    return { components: undefined, outcome: { kind: 'waiting', reason } };
  }
  const components = (status.components ?? [])
    .filter((c) => c.phase !== ComponentPhase.Removed)
    .map(componentProgress);
  return { components, outcome: outcomeOf(status, components, generation) };
}

export interface Transition extends ComponentProgress {
  /** Since the wait started. */
  elapsedMs: number;
}

/** Remembers each component's last state and answers what changed with every new snapshot. */
export class ProgressTracker {
  private readonly states = new Map<string, ComponentState>();
  private readonly startedAt: number;

  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /** The components whose state changed (or that appeared), in the order the status lists them. */
  update(snapshot: ProgressSnapshot, now: number): Transition[] {
    const changed: Transition[] = [];
    for (const c of snapshot.components ?? []) {
      if (this.states.get(c.name) === c.state) continue;
      this.states.set(c.name, c.state);
      changed.push({ ...c, elapsedMs: now - this.startedAt });
    }
    return changed;
  }
}
