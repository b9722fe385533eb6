// The controller work queue: client-go's util/workqueue (queue.go, delaying_queue.go, rate_limiting_queue.go)
// in one class, with keys (never events) as items.
// - Fair: keys are handed out in the order they first became dirty; waiting workers are served in arrival order.
// - Stingy: a key added many times before a worker takes it is processed once, and a key being processed is
//   never handed to a second worker. Adding it meanwhile marks it dirty; `done` queues it again.
// - Delayed adds keep the earliest due time per key; rate-limited adds take their delay from a RateLimiter.
// - After `shutDown` adds are ignored, but keys already queued are still handed out, as client-go does; `get`
//   reports shutdown once the queue is empty. Pending delayed adds are dropped.
import { realClock } from './clock.ts';
import type { Cancel, Clock } from './clock.ts';
import type { QueueMetrics } from './queue-metrics.ts';
import { defaultControllerRateLimiter } from './rate-limiters.ts';
import type { RateLimiter } from './rate-limiters.ts';

export type { QueueMetrics } from './queue-metrics.ts';

/** What `get` resolves to: a key to process, or word that the queue is shut down and empty. */
export type QueueItem = { key: string; shutdown: false } | { key: undefined; shutdown: true };

export interface WorkQueueOptions {
  /** Time for delayed adds and the default rate limiter's token bucket; the real clock by default. */
  clock?: Clock;
  /** The delays of `addRateLimited`; client-go's DefaultControllerRateLimiter by default. */
  rateLimiter?: RateLimiter;
  /** Hooks for the `workqueue_*` metrics; none by default. */
  metrics?: QueueMetrics<string>;
}

/** Metrics hooks that record nothing. */
export const noopQueueMetrics: QueueMetrics<string> = {
  add: () => undefined,
  get: () => undefined,
  done: () => undefined,
  retry: () => undefined,
};

interface Waiting {
  due: number;
  cancel: Cancel;
}

const shutdownItem: QueueItem = Object.freeze({ key: undefined, shutdown: true });

export class WorkQueue {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly metrics: QueueMetrics<string>;
  // Keys ready for a worker, in FIFO order. A Set iterates in insertion order, and a key is never in it twice.
  private readonly queue = new Set<string>();
  // Keys that need processing: those queued, plus those re-added while a worker holds them.
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  // Delayed adds, one timer per key at its earliest due time.
  private readonly waiting = new Map<string, Waiting>();
  // Workers blocked in `get`; only ever non-empty while the queue is empty.
  private readonly getters: ((item: QueueItem) => void)[] = [];
  private readonly drainers: (() => void)[] = [];
  private stopping = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter(this.clock);
    this.metrics = options.metrics ?? noopQueueMetrics;
  }

  /** Marks `key` as needing processing; a no-op if it already does or the queue is shutting down. */
  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.dirty.add(key);
    // A worker holds it: `done` will queue it again.
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /**
   * Waits for a key to process (the worker then owns it until `done`), or for shutdown once nothing is queued.
   */
  get(): Promise<QueueItem> {
    if (this.queue.size > 0) return Promise.resolve(this.take());
    if (this.stopping) return Promise.resolve(shutdownItem);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker has finished `key`; if it was added meanwhile, it goes to the back of the queue. */
  done(key: string): void {
    // A key nobody holds (a double `done`) must not be queued twice.
    if (!this.processing.delete(key)) return;
    this.metrics.done(key);
    if (this.dirty.has(key)) this.enqueue(key);
    else if (this.processing.size === 0) this.finishDrain();
  }

  /** How many keys wait for a worker (not those in progress or delayed). */
  len(): number {
    return this.queue.size;
  }

  /** Stops accepting adds, drops delayed adds, and wakes the workers blocked in `get`. */
  shutDown(): void {
    this.stop();
    // client-go: a plain shutdown also ends a drain in progress.
    this.finishDrain();
  }

  /** As `shutDown`, then waits until every key handed out has been `done`. */
  shutDownWithDrain(): Promise<void> {
    this.stop();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  shuttingDown(): boolean {
    return this.stopping;
  }

  /**
   * Adds `key` once `ms` have passed. If the key already waits to be added earlier, that earlier time stands;
   * an earlier request replaces a later one. `ms <= 0` adds at once. Counted as a retry, as in client-go.
   */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    this.metrics.retry();
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const due = this.clock.now() + ms;
    const earlier = this.waiting.get(key);
    if (earlier && earlier.due <= due) return;
    earlier?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { due, cancel });
  }

  /** Adds `key` after the delay the rate limiter gives it (a failure: backoff grows until `forget`). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** `key` succeeded: its next failure backs off from the base delay again. Does not remove a queued key. */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    this.metrics.add(key);
    const getter = this.getters.shift();
    if (getter) getter(this.take());
  }

  // Hands the oldest queued key to a worker: from here until `done`, the key is processing and not dirty.
  private take(): QueueItem {
    const next = this.queue.values().next();
    if (next.done) throw new Error('work queue: take from an empty queue');
    const key = next.value;
    this.queue.delete(key);
    this.dirty.delete(key);
    this.processing.add(key);
    this.metrics.get(key);
    return { key, shutdown: false };
  }

  private stop(): void {
    this.stopping = true;
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
    // Getters wait only while the queue is empty, so every one of them learns of the shutdown now.
    for (const getter of this.getters.splice(0)) getter(shutdownItem);
  }

  private finishDrain(): void {
    for (const drained of this.drainers.splice(0)) drained();
  }
}
