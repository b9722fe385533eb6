// Status per rendered component: Healthy when every object it owns is ready, Reconciling while something is
// rolling out or waits for an earlier phase, with the first reason as the message.
import type { AppliedObject } from '../apply/index.ts';
import { readinessOf } from '../apply/index.ts';
import type { ComponentStatus } from '../api/index.ts';
import { ComponentPhase } from '../api/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import type { RenderedComponent } from '../render/index.ts';

function statusName(component: RenderedComponent): string {
  return component.instance ?? component.name;
}

function componentStatus(
  component: RenderedComponent,
  applied: ReadonlyMap<string, AppliedObject>,
  waitingOn: string | undefined,
): ComponentStatus {
  const base = {
    name: statusName(component),
    ...(component.revision ? { revision: component.revision } : {}),
  };
  for (const obj of component.objects) {
    const ref = describeRef(refOf(obj));
    const done = applied.get(ref);
    if (!done)
      return { ...base, phase: ComponentPhase.Reconciling, message: `waiting for ${waitingOn ?? 'apply'}` };
    const readiness = readinessOf(done.live);
    if (!readiness.ready)
      return { ...base, phase: ComponentPhase.Reconciling, message: `${ref}: ${readiness.reason}` };
  }
  return { ...base, phase: ComponentPhase.Healthy };
}

export function componentStatuses(
  components: readonly RenderedComponent[],
  applied: readonly AppliedObject[],
  waitingOn: string | undefined,
): ComponentStatus[] {
  const byRef = new Map(applied.map((a) => [a.ref, a]));
  return components.filter((c) => c.objects.length > 0).map((c) => componentStatus(c, byRef, waitingOn));
}
