// Conditions by the Kubernetes conventions: one per type, lastTransitionTime moves only when status changes.
import { capMessage, conditionMessageLimit } from '../api/index.ts';
import type { Condition } from '../api/index.ts';

export type NewCondition = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

export function setCondition(
  current: readonly Condition[],
  next: NewCondition,
  at: { now: string; generation: number },
): Condition[] {
  const previous = current.find((c) => c.type === next.type);
  const lastTransitionTime = previous?.status === next.status ? previous.lastTransitionTime : at.now;
  const message = capMessage(next.message, conditionMessageLimit);
  const merged: Condition = { ...next, message, lastTransitionTime, observedGeneration: at.generation };
  return previous ? current.map((c) => (c.type === next.type ? merged : c)) : [...current, merged];
}

export function conditionOf(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}
