// The informer's cache: the last state the API server reported for every object it watches, keyed the way
// controllers key their work queue (`namespace/name`, or `name` for cluster-scoped kinds). Readers get the
// stored objects themselves, not copies: treat them as read-only.
import type { KubeObject } from '../kube/index.ts';

/** The queue key of an object: `namespace/name`, or `name` when it has no namespace. */
export function objectKey(obj: KubeObject): string {
  const name = obj.metadata.name ?? '';
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${name}` : name;
}

/** Orders `[key, value]` entries by key, as the store lists them. */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  if (a[0] === b[0]) return 0;
  return a[0] < b[0] ? -1 : 1;
}

/** What controllers may do with an informer's store: read it. */
export interface ReadonlyObjectStore<T extends KubeObject = KubeObject> {
  get(key: string): T | undefined;
  /** Every stored object, in key order. */
  list(): T[];
  /** Every stored key, sorted. */
  keys(): string[];
  readonly size: number;
}

export class ObjectStore<T extends KubeObject = KubeObject> implements ReadonlyObjectStore<T> {
  private objects = new Map<string, T>();

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  list(): T[] {
    return [...this.objects].sort(byKey).map(([, obj]) => obj);
  }

  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  /** Stores `obj` and returns what was stored under its key before. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const previous = this.objects.get(key);
    this.objects.set(key, obj);
    return previous;
  }

  /** Removes the object stored under `key` and returns it. */
  delete(key: string): T | undefined {
    const previous = this.objects.get(key);
    this.objects.delete(key);
    return previous;
  }

  /** The current contents, for diffing against a fresh list. */
  snapshot(): ReadonlyMap<string, T> {
    return new Map(this.objects);
  }

  /** Replaces everything with a fresh list. */
  replace(items: readonly T[]): void {
    this.objects = new Map(items.map((obj) => [objectKey(obj), obj]));
  }
}
