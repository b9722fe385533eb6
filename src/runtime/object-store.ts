// The informer's cache: the last state the API server reported for every object it watches, keyed the way
// controllers key their work queue (`namespace/name`, or `name` for cluster-scoped kinds). Readers get the
// stored objects themselves, not copies: treat them as read-only. Named indexes (client-go's Indexer) answer
// "the objects whose index function gives this value" without walking a cache of thousands.
import type { KubeObject } from '../kube/index.ts';

/** The queue key of an object: `namespace/name`, or `name` when it has no namespace. */
export function objectKey(obj: KubeObject): string {
  const name = obj.metadata.name ?? '';
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${name}` : name;
}

const compareKeys = (x: string, y: string): number => {
  if (x === y) return 0;
  return x < y ? -1 : 1;
};

/** Orders `[key, value]` entries by key, as the store lists them. */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return compareKeys(a[0], b[0]);
}

/** Orders objects by their key, as the store lists them (for lists merged from several reads). */
export function byObjectKey(a: KubeObject, b: KubeObject): number {
  return compareKeys(objectKey(a), objectKey(b));
}

/** What controllers may do with an informer's store: read it. */
export interface ReadonlyObjectStore<T extends KubeObject = KubeObject> {
  get(key: string): T | undefined;
  /** Every stored object, in key order. */
  list(): T[];
  /** Every stored key, sorted. */
  keys(): string[];
  /** The stored objects `index` files under `value`, in key order; throws for an index the store lacks. */
  byIndex(index: string, value: string): T[];
  readonly size: number;
}

/** The values an object is filed under in one index (none: not in it). Must be a pure function of the object. */
export type IndexFunction<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** One named index: its function, and value → key → object. */
interface Index<T extends KubeObject> {
  valuesOf: IndexFunction<T>;
  buckets: Map<string, Map<string, T>>;
}

export class ObjectStore<T extends KubeObject = KubeObject> implements ReadonlyObjectStore<T> {
  private objects = new Map<string, T>();
  private readonly indexes: ReadonlyMap<string, Index<T>>;

  constructor(indexFunctions: Readonly<Record<string, IndexFunction<T>>> = {}) {
    this.indexes = new Map(
      Object.entries(indexFunctions).map(([name, valuesOf]) => [name, { valuesOf, buckets: new Map() }]),
    );
  }

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

  byIndex(index: string, value: string): T[] {
    const found = this.indexes.get(index);
    if (found === undefined) throw new Error(`the store has no index "${index}"`);
    return [...(found.buckets.get(value) ?? [])].sort(byKey).map(([, obj]) => obj);
  }

  /** Stores `obj` and returns what was stored under its key before. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const previous = this.objects.get(key);
    this.objects.set(key, obj);
    if (previous !== undefined) this.unindex(key, previous);
    this.index(key, obj);
    return previous;
  }

  /** Removes the object stored under `key` and returns it. */
  delete(key: string): T | undefined {
    const previous = this.objects.get(key);
    this.objects.delete(key);
    if (previous !== undefined) this.unindex(key, previous);
    return previous;
  }

  /** The current contents, for diffing against a fresh list. */
  snapshot(): ReadonlyMap<string, T> {
    return new Map(this.objects);
  }

  /** Replaces everything with a fresh list. */
  replace(items: readonly T[]): void {
    this.objects = new Map(items.map((obj) => [objectKey(obj), obj]));
    for (const { buckets } of this.indexes.values()) buckets.clear();
    for (const [key, obj] of this.objects) this.index(key, obj);
  }

  private index(key: string, obj: T): void {
    for (const { valuesOf, buckets } of this.indexes.values()) {
      for (const value of valuesOf(obj)) {
        let bucket = buckets.get(value);
        if (bucket === undefined) buckets.set(value, (bucket = new Map<string, T>()));
        bucket.set(key, obj);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const { valuesOf, buckets } of this.indexes.values()) {
      for (const value of valuesOf(obj)) {
        const bucket = buckets.get(value);
        bucket?.delete(key);
        // An empty bucket is dropped, so values that come and go (revisions) do not pile up.
        if (bucket?.size === 0) buckets.delete(value);
      }
    }
  }
}
