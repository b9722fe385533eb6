// Which informer changes are worth a reconcile. Level-based reconciles read everything again, so waking a mesh
// for a change it cannot act on costs a whole pass: at scale these are most of the events (the controller-manager
// rewrites every HorizontalPodAutoscaler's status each sync, the kubelet every pod's). Filters here only ever
// drop updates that change nothing the reconciler reads; adds, deletes and periodic resyncs always pass.
import type { KubeObject } from '../kube/index.ts';
import { IstioLabel } from '../revisions/index.ts';
import { withSortedKeys } from '../tree/index.ts';
import type { ReadonlyJsonValue } from '../tree/index.ts';

/**
 * `obj` without what a status write moves: the status and the write's own bookkeeping. Keys sorted: an object
 * from a list has its apiVersion and kind put back after the rest, one from a watch has them first, and the
 * first status write after every list must not look like a change.
 */
function withoutStatus(obj: KubeObject): string {
  const rest: Partial<KubeObject> = { ...obj };
  delete rest.status;
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  delete metadata.managedFields;
  return JSON.stringify(withSortedKeys({ ...rest, metadata } as unknown as ReadonlyJsonValue));
}

/**
 * An update that changed the status alone (or nothing): of no interest for a kind whose status meshop never
 * reads. A resync (previous is the object itself) is not one: it is the periodic look again.
 */
export function onlyStatusChanged(obj: KubeObject, previous: KubeObject | undefined): boolean {
  if (previous === undefined || previous === obj) return false;
  return withoutStatus(obj) === withoutStatus(previous);
}

/** What revision usage reads of a namespace or pod: its revision values, injection label, and whether it ends. */
export function sameUsage(
  obj: KubeObject,
  previous: KubeObject | undefined,
  valuesOf: (o: KubeObject) => string[],
): boolean {
  if (previous === undefined || previous === obj) return false;
  const key = (o: KubeObject): string =>
    JSON.stringify([
      valuesOf(o),
      o.metadata.labels?.[IstioLabel.injection],
      o.metadata.deletionTimestamp !== undefined,
    ]);
  return key(obj) === key(previous);
}
