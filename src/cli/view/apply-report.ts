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

/**
 * From the resourceVersion before and after a server-side apply: the API server does not persist an apply
 * that changes nothing, so an unchanged resourceVersion means nothing was written.
 */
export function applyOutcome(before: string | undefined, after: string | undefined): ApplyOutcome {
  if (before === undefined) return ApplyOutcome.Created;
  return before === after ? ApplyOutcome.Unchanged : ApplyOutcome.Configured;
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
