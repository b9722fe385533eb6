// An object client that reads from informers' caches and writes to the API server (controller-runtime's
// delegating client), so a reconcile of a converged object makes no request at all. Writes go straight through;
// what a write returned is remembered until the informer has seen that write (or a later change), so a reconcile
// that runs before the watch event arrives reads its own write, not the older cached object, and does not repeat
// it. A read the caches cannot answer exactly goes to the API server:
// - get: an object missing from a label-selected cache may exist without the labels (the claim check must see it);
// - list: a kind no informer watches, a cache not yet synced, a field selector, or a label selector that does not
//   repeat every term of the informer's own.
// Objects read from a cache are copies: the caller may change them.
import { ApiError, UnknownKindError, describeRef } from '../kube/index.ts';
import type { ApplyOptions, KubeObject, ListOptions, ListResult, ObjectRef, TypeRef } from '../kube/index.ts';
import { ObjectClient } from '../kube/index.ts';
import { matchesLabelQuery, narrowerThan, parseLabelQuery } from './label-query.ts';
import type { Requirement } from './label-query.ts';
import { objectKey } from './object-store.ts';
import type { ReadonlyObjectStore } from './object-store.ts';

/** What the client needs of an informer to answer reads from its cache. */
export interface CacheSource {
  readonly type: TypeRef;
  readonly store: ReadonlyObjectStore;
  hasSynced(): boolean;
  onChange(handler: (obj: KubeObject) => void): unknown;
  onDelete(handler: (obj: KubeObject) => void): unknown;
  /** The informer's label selector; the cache holds only matching objects. */
  readonly labelSelector?: string | undefined;
}

interface Cover {
  source: CacheSource;
  requirements: Requirement[];
}

const typeKey = (t: TypeRef): string => `${t.apiVersion} ${t.kind}`;
const writeKey = (o: KubeObject): string => `${typeKey(o)} ${objectKey(o)}`;
const storeKey = (r: ObjectRef): string => (r.namespace ? `${r.namespace}/${r.name}` : r.name);
const refKey = (r: ObjectRef): string => `${typeKey(r)} ${storeKey(r)}`;

/**
 * Whether the watch has caught up with a write: it delivered that very version, or a later one. Resource
 * versions are opaque in the API, but every API server backed by etcd issues them as increasing integers;
 * anything else counts as caught up at the next event.
 */
function caughtUp(seen: string | undefined, written: string | undefined): boolean {
  if (seen === undefined || written === undefined || seen === written) return true;
  if (!/^\d+$/.test(seen) || !/^\d+$/.test(written)) return true;
  return BigInt(seen) >= BigInt(written);
}

export class CachedObjectClient extends ObjectClient {
  private readonly covers = new Map<string, Cover>();
  /** Objects as our own writes returned them, until the informer has seen those writes. */
  private readonly written = new Map<string, KubeObject>();
  /** Kinds the cluster did not serve when the informers started. */
  private readonly unserved = new Set<string>();

  /** Answers reads of `source.type` from its cache from now on. */
  cover(source: CacheSource): void {
    this.covers.set(typeKey(source.type), {
      source,
      requirements: parseLabelQuery(source.labelSelector ?? ''),
    });
    source.onChange((obj) => {
      const key = writeKey(obj);
      const mine = this.written.get(key);
      if (mine && caughtUp(obj.metadata.resourceVersion, mine.metadata.resourceVersion))
        this.written.delete(key);
    });
    source.onDelete((obj) => this.written.delete(writeKey(obj)));
  }

  /**
   * Reads of `type` fail as discovery would for a kind the cluster does not serve, without asking again: the
   * controller found it unserved at start and watches nothing of it (an optional CRD such as the CNI's
   * NetworkAttachmentDefinition). Installed later, it is looked at again when the operator restarts.
   */
  notServed(type: TypeRef): void {
    this.unserved.add(typeKey(type));
  }

  override async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T> {
    if (this.unserved.has(typeKey(ref))) throw new UnknownKindError(ref);
    const cover = this.covers.get(typeKey(ref));
    if (cover?.source.hasSynced()) {
      const hit = this.written.get(refKey(ref)) ?? cover.source.store.get(storeKey(ref));
      if (hit) {
        return structuredClone(hit) as T;
      }
      if (cover.requirements.length === 0) {
        throw new ApiError(`get ${describeRef(ref)}`, 404, {
          kind: 'Status',
          status: 'Failure',
          reason: 'NotFound',
          code: 404,
          message: 'not in the informer cache, which holds every object of the kind',
        });
      }
    }
    return super.get<T>(ref);
  }

  override async list<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: ListOptions = {},
  ): Promise<ListResult<T>> {
    if (this.unserved.has(typeKey(type))) throw new UnknownKindError(type);
    const cover = this.covers.get(typeKey(type));
    const query = parseLabelQuery(opts.labelSelector ?? '');
    if (
      !cover?.source.hasSynced() ||
      opts.fieldSelector !== undefined ||
      !narrowerThan(query, cover.requirements)
    ) {
      return super.list<T>(type, opts);
    }
    const byKey = new Map(cover.source.store.list().map((o) => [writeKey(o), o]));
    for (const [key, obj] of this.written) if (key.startsWith(`${typeKey(type)} `)) byKey.set(key, obj);
    const items = [...byKey.values()].filter(
      (o) =>
        (opts.namespace === undefined || o.metadata.namespace === opts.namespace) &&
        matchesLabelQuery(query, o.metadata.labels),
    );
    return { items: items.map((o) => structuredClone(o) as T), resourceVersion: '' };
  }

  override async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: ApplyOptions): Promise<T> {
    const result = await super.apply<T>(obj, opts);
    if (!opts.dryRun) this.remember(result);
    return result;
  }

  override async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    return this.remember(await super.create<T>(obj));
  }

  override async replace<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    return this.remember(await super.replace<T>(obj));
  }

  override async mergePatch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    sub = '',
  ): Promise<T> {
    return this.remember(await super.mergePatch<T>(ref, patch, sub));
  }

  override async delete(...args: Parameters<ObjectClient['delete']>): Promise<boolean> {
    // Not remembered: a deleted object with finalizers stays (with a deletionTimestamp) and must stay visible;
    // a cache that still shows it at most leads to a second delete, which finds it gone or going.
    const ref = args[0];
    this.written.delete(refKey(ref));
    return super.delete(...args);
  }

  private remember<T extends KubeObject>(result: T): T {
    const cover = this.covers.get(typeKey(result));
    if (cover === undefined) return result;
    // The watch may have delivered this write before its response came back: nothing to bridge then. A write
    // that removed the last finalizer of a deleted object ended it; the informer's delete may already be past.
    const cached = cover.source.store.get(objectKey(result));
    const ended =
      result.metadata.deletionTimestamp !== undefined && (result.metadata.finalizers ?? []).length === 0;
    if (ended || (cached && caughtUp(cached.metadata.resourceVersion, result.metadata.resourceVersion))) {
      this.written.delete(writeKey(result));
    } else {
      this.written.set(writeKey(result), result);
    }
    return result;
  }
}
