// What a command did to each object, one line each in kubectl's words (`deployment.apps/x created`), so people
// and scripts used to `kubectl apply` read it without learning a new format.
import type { KubeObject } from '../../kube/index.ts';

export const ApplyOutcome = {
  Created: 'created',
  Configured: 'configured',
  Unchanged: 'unchanged',
} as const;
export type ApplyOutcome = (typeof ApplyOutcome)[keyof typeof ApplyOutcome];

export const DeleteOutcome = { Deleted: 'deleted', Absent: 'already absent' } as const;
export type DeleteOutcome = (typeof DeleteOutcome)[keyof typeof DeleteOutcome];

/** The field manager's own server-side apply entry in managedFields, if it ever applied the object. */
export const applyEntryOf = (obj: KubeObject, manager: string) =>
  obj.metadata.managedFields?.find((f) => f.manager === manager && f.operation === 'Apply');

/** That entry's fields and when the manager last changed them. */
function appliedBy(obj: KubeObject, manager: string): string {
  const entry = applyEntryOf(obj, manager);
  return JSON.stringify([entry?.time, entry?.fieldsV1]);
}

/**
 * From the object before and after a server-side apply by `manager`. The API server does not persist an apply
 * that changes nothing, and one that does changes the manager's entry in managedFields (its fields, or the time
 * it last changed them). The resourceVersion would not do: a controller may write the status in between (the
 * API server type-checks a new ValidatingAdmissionPolicy a moment after it is created).
 */
export function applyOutcome(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
): ApplyOutcome {
  if (before === undefined) return ApplyOutcome.Created;
  return appliedBy(before, manager) === appliedBy(after, manager)
    ? ApplyOutcome.Unchanged
    : ApplyOutcome.Configured;
}

/** kubectl's name for an object: lower-case kind, its API group when not core, and the name. */
export function resourceName(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : `.${obj.apiVersion.slice(0, slash)}`;
  return `${obj.kind.toLowerCase()}${group}/${obj.metadata.name ?? ''}`;
}

export function reportLine(
  obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
  outcome: ApplyOutcome | DeleteOutcome,
): string {
  return `${resourceName(obj)} ${outcome}`;
}
