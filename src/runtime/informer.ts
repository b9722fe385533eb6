// A supervised informer: one list-then-watch cache of one kind (optionally one namespace and label selector)
// that never gives up. client-node's informer stops for good on any error but 410; this one restarts every
// ended or failed watch with jittered backoff, relists on 410 and diffs the new list against its store (so
// objects deleted while it was not watching still reach onDelete), restarts silent watches, and calls onChange
// for every stored object on each resync. Handlers are level-based on purpose: they learn which object is
// affected, never why, because the controller only enqueues keys (STYLE.md: never branch on event type).
import type { KubeObject, TypeRef, WatchEvent } from '../kube/index.ts';
import { pause } from './abortable-wait.ts';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { Backoff } from './informer-backoff.ts';
import type { BackoffOptions } from './informer-backoff.ts';
import { diffRelist } from './informer-diff.ts';
import type { RelistDiff } from './informer-diff.ts';
import { WatchEnd, watchOnce } from './informer-watch.ts';
import type { InformerClient } from './informer-watch.ts';
import { silentLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { ObjectStore, objectKey } from './object-store.ts';
import type { IndexFunction, ReadonlyObjectStore } from './object-store.ts';

export type { InformerClient } from './informer-watch.ts';

/** `previous` is the stored state before the change: undefined for a new object, `obj` itself on a resync. */
export type ChangeHandler<T extends KubeObject> = (obj: T, previous: T | undefined) => void;
/** `obj` is the last state seen: the deleted object from the watch, or the stored one after a relist. */
export type DeleteHandler<T extends KubeObject> = (obj: T) => void;

export type InformerLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface InformerOptions {
  type: TypeRef;
  /** Watch one namespace only; all namespaces (or a cluster-scoped kind) unless given. */
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  /** Field selector (e.g. status.phase!=Succeeded); objects that stop matching leave the store. */
  fieldSelector?: string | undefined;
  /** Keep only metadata (PartialObjectMetadata) of each object: for kinds read for their labels alone. */
  metadataOnly?: boolean;
  /**
   * What the store keeps of each object (client-go's transform): applied as objects arrive, before handlers see
   * them, so a cache of thousands holds only the fields its readers use. It must keep name, namespace and
   * resourceVersion (relists compare them).
   */
  keep?: (obj: KubeObject) => KubeObject;
  /** Named indexes of the store (ObjectStore.byIndex), kept up to date as objects arrive and leave. */
  indexes?: Readonly<Record<string, IndexFunction>>;
  /** Page size of (re)lists; the object client's default unless given. */
  pageSize?: number;
  /** Call onChange for every stored object this often; 0 turns it off. 10 h unless given (controller-runtime). */
  resyncMs?: number;
  /** The server ends each watch after between this and twice this many seconds; 300 unless given. */
  watchTimeoutSeconds?: number;
  /**
   * Restart a watch that delivered neither event nor bookmark for this long; 0 turns it off. 3 min unless given:
   * the API server sends every watch a bookmark about once a minute, so three missed ones mean a dead connection.
   */
  staleAfterMs?: number;
  backoff?: BackoffOptions;
  logger?: InformerLogger;
  /** Backoff, resync and the staleness watchdog run on this; the real clock unless given. */
  clock?: Clock;
  /** For jitter; Math.random unless given. */
  random?: () => number;
}

const defaults = { resyncMs: 10 * 3_600_000, watchTimeoutSeconds: 300, staleAfterMs: 180_000 };

export class Informer<T extends KubeObject = KubeObject> {
  readonly name: string;
  /** Informers are caches: they run whether or not this process leads. */
  readonly needLeader = false;
  private readonly client: InformerClient;
  private readonly options: InformerOptions;
  private readonly objects: ObjectStore<T>;
  private readonly changeHandlers = new Set<ChangeHandler<T>>();
  private readonly deleteHandlers = new Set<DeleteHandler<T>>();
  private readonly log: InformerLogger;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private synced = false;

  constructor(client: InformerClient, options: InformerOptions) {
    this.client = client;
    this.options = options;
    this.objects = new ObjectStore<T>(options.indexes);
    this.name = describeInformer(options);
    this.log = options.logger ?? silentLogger();
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.backoff = new Backoff(options.backoff, this.random);
  }

  /** The kind this informer watches. */
  get type(): TypeRef {
    return this.options.type;
  }

  get store(): ReadonlyObjectStore<T> {
    return this.objects;
  }

  /** True once the first list is in the store (and from then on, through relists). */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Registers a handler; objects already stored are replayed to it at once. Returns the unregistration. */
  onChange(handler: ChangeHandler<T>): () => void {
    this.changeHandlers.add(handler);
    for (const obj of this.objects.list()) {
      this.call(() => {
        handler(obj, undefined);
      });
    }
    return () => {
      this.changeHandlers.delete(handler);
    };
  }

  onDelete(handler: DeleteHandler<T>): () => void {
    this.deleteHandlers.add(handler);
    return () => {
      this.deleteHandlers.delete(handler);
    };
  }

  /**
   * Starts listing and watching (once; later calls return the same promise). Resolves when the informer has
   * stopped, through `signal` or stop(); it never rejects. A stopped informer cannot be started again.
   */
  start(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) this.abort.abort();
    signal?.addEventListener(
      'abort',
      () => {
        this.abort.abort();
      },
      { once: true },
    );
    this.running ??= Promise.all([this.run(this.abort.signal), this.resync(this.abort.signal)]).then(
      () => undefined,
    );
    return this.running;
  }

  /** Aborts the watch and resolves once the informer's loops have returned. */
  stop(): Promise<void> {
    this.abort.abort();
    return this.running ?? Promise.resolve();
  }

  /** List, then watch from the list; after every end of a watch or failed list, back off and go again. */
  private async run(signal: AbortSignal): Promise<void> {
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      if (resourceVersion === undefined) {
        resourceVersion = await this.relist(signal);
        if (resourceVersion !== undefined) continue;
      } else {
        resourceVersion = await this.watch(resourceVersion, signal);
      }
      await pause(this.clock, this.backoff.next(this.clock.now()), signal);
    }
  }

  /** Lists everything and replaces the store; returns the list's resourceVersion, or undefined if it failed. */
  private async relist(signal: AbortSignal): Promise<string | undefined> {
    const { type, namespace, labelSelector, fieldSelector, pageSize, metadataOnly } = this.options;
    try {
      const listed = await this.client.list<T>(type, {
        namespace,
        labelSelector,
        fieldSelector,
        metadataOnly,
        signal,
        // Each page is cut down as it arrives: the list is never held whole as sent, beside the old store.
        keep: (o) => this.ingest(o as T),
        ...(pageSize === undefined ? {} : { pageSize }),
      });
      const items = listed.items;
      const diff = diffRelist(this.objects.snapshot(), items);
      this.objects.replace(items);
      this.synced = true;
      this.deliver(diff);
      this.log.info('Listed objects', { ...this.fields(), count: listed.items.length });
      return listed.resourceVersion;
    } catch (err) {
      if (!signal.aborted) this.log.warn('List failed', { ...this.fields(), error: err });
      return undefined;
    }
  }

  /** Watches once; returns where to watch from next, or undefined when only a relist can continue. */
  private async watch(resourceVersion: string, signal: AbortSignal): Promise<string | undefined> {
    const timeout = this.options.watchTimeoutSeconds ?? defaults.watchTimeoutSeconds;
    const result = await watchOnce<T>({
      client: this.client,
      type: this.options.type,
      namespace: this.options.namespace,
      metadataOnly: this.options.metadataOnly,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      resourceVersion,
      timeoutSeconds: Math.round(timeout * (1 + this.random())),
      staleAfterMs: this.options.staleAfterMs ?? defaults.staleAfterMs,
      clock: this.clock,
      signal,
      onEvent: (event) => {
        this.apply(event);
      },
    });
    const fields = { ...this.fields(), resourceVersion: result.resourceVersion };
    if (result.end === WatchEnd.Gone) this.log.info('Watch expired, relisting', fields);
    if (result.end === WatchEnd.Stale) this.log.warn('Watch went silent, restarting', fields);
    if (result.end === WatchEnd.Failed) this.log.warn('Watch failed', { ...fields, error: result.error });
    return result.end === WatchEnd.Gone ? undefined : result.resourceVersion;
  }

  private apply(event: WatchEvent<T>): void {
    if (event.type === 'DELETED') {
      this.objects.delete(objectKey(event.object));
      this.emitDelete(event.object);
    } else {
      const obj = this.ingest(event.object);
      this.emitChange(obj, this.objects.set(obj));
    }
  }

  /**
   * What the store keeps of an object. A metadata-only informer is for labels and owners: the managedFields
   * that come with every object's metadata (often most of it) are dropped. Full objects keep them: the
   * reconciler reads who manages which field (object-claims.ts).
   */
  private ingest(obj: T): T {
    let kept = obj;
    if (this.options.metadataOnly && obj.metadata.managedFields !== undefined) {
      const metadata = { ...obj.metadata };
      delete metadata.managedFields;
      kept = { ...obj, metadata };
    }
    return this.options.keep ? (this.options.keep(kept) as T) : kept;
  }

  private deliver(diff: RelistDiff<T>): void {
    for (const obj of diff.deletes) this.emitDelete(obj);
    for (const { obj, previous } of diff.changes) this.emitChange(obj, previous);
  }

  /** Every resyncMs, tells the change handlers about every stored object again (client-go's resync). */
  private async resync(signal: AbortSignal): Promise<void> {
    const every = this.options.resyncMs ?? defaults.resyncMs;
    if (every <= 0) return;
    while (!signal.aborted) {
      await pause(this.clock, every, signal);
      this.resyncAll();
    }
  }

  private resyncAll(): void {
    if (!this.synced || this.abort.signal.aborted) return;
    for (const obj of this.objects.list()) this.emitChange(obj, obj);
  }

  private emitChange(obj: T, previous: T | undefined): void {
    for (const handler of this.changeHandlers) {
      this.call(() => {
        handler(obj, previous);
      });
    }
  }

  private emitDelete(obj: T): void {
    for (const handler of this.deleteHandlers) {
      this.call(() => {
        handler(obj);
      });
    }
  }

  /** A failing handler is logged and skipped: it must not stop the informer or the other handlers. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('Informer handler failed', { ...this.fields(), error: err });
    }
  }

  private fields(): Record<string, unknown> {
    const { type, namespace, labelSelector } = this.options;
    return { informer: this.name, kind: type.kind, namespace, labelSelector };
  }
}

function describeInformer(o: InformerOptions): string {
  const where = o.namespace ? ` in ${o.namespace}` : '';
  const selector = o.labelSelector ? ` (${o.labelSelector})` : '';
  return `${o.type.apiVersion}/${o.type.kind}${where}${selector}`;
}
