// What a relist means for the handlers: a relist replaces the whole store, and the watch events it stands in for
// are lost, so the changes are recovered by comparing the old store with the new list. Objects that vanished are
// deletes (client-go's DeletedFinalStateUnknown case: the last state we saw is all we have); objects that are new
// or whose resourceVersion moved are changes; everything else did not change and wakes nobody.
import type { KubeObject } from '../kube/index.ts';
import { byKey, objectKey } from './object-store.ts';

export interface ObjectChange<T extends KubeObject> {
  obj: T;
  /** The stored state before the change; undefined for an object the store did not hold. */
  previous: T | undefined;
}

export interface RelistDiff<T extends KubeObject> {
  /** New or changed objects, in list order. */
  changes: ObjectChange<T>[];
  /** Stored objects the list no longer contains, as last seen, in key order. */
  deletes: T[];
}

export function diffRelist<T extends KubeObject>(
  stored: ReadonlyMap<string, T>,
  listed: readonly T[],
): RelistDiff<T> {
  const listedKeys = new Set<string>();
  const changes: ObjectChange<T>[] = [];
  for (const obj of listed) {
    const key = objectKey(obj);
    listedKeys.add(key);
    const previous = stored.get(key);
    if (previous === undefined || previous.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      changes.push({ obj, previous });
    }
  }
  const deletes = [...stored]
    .filter(([key]) => !listedKeys.has(key))
    .sort(byKey)
    .map(([, obj]) => obj);
  return { changes, deletes };
}
