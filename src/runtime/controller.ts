// A controller: a work queue of keys, a few workers, and one level-based reconcile(key) that never learns which
// event woke it (controller-runtime's shape). Success forgets the key's failures; an error requeues it with
// per-key backoff; a result may ask to look again after a while. Runs only on the leader.
import type { Clock } from './clock.ts';
import { realClock } from './clock.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { ControllerMetrics, RuntimeMetrics } from './metrics.ts';
import { ReconcileResult } from './metrics.ts';
import type { Runnable } from './runnable-group.ts';
import { WorkQueue } from './work-queue.ts';

export interface ReconcileOutcome {
  /** Look at the key again after this long even if nothing changes. */
  requeueAfterMs?: number;
}

/** Converge the world for one key. Throwing means "try again with backoff"; a reconcile that must not be retried
 * (an invalid spec, already reported in status) returns normally. */
export type Reconcile = (key: string, reconcileID: string) => Promise<ReconcileOutcome>;

export interface ControllerOptions {
  name: string;
  reconcile: Reconcile;
  concurrency?: number;
  /** Every key known to the caches, re-enqueued at each resync. */
  keys?: () => Iterable<string>;
  resyncMs?: number;
  metrics?: RuntimeMetrics;
  logger?: Logger;
  clock?: Clock;
}

let counter = 0;
const nextReconcileID = (): string => `${Date.now().toString(36)}-${(counter++).toString(36)}`;

export class Controller implements Runnable {
  readonly name: string;
  readonly needLeader = true;
  readonly queue: WorkQueue;
  private readonly options: ControllerOptions;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly metrics: ControllerMetrics | undefined;

  constructor(options: ControllerOptions) {
    this.options = options;
    this.name = options.name;
    this.clock = options.clock ?? realClock;
    this.log = (options.logger ?? silentLogger()).child({ component: options.name });
    this.metrics = options.metrics?.controller(options.name, options.concurrency ?? 1);
    this.queue = new WorkQueue({
      clock: this.clock,
      ...(options.metrics ? { metrics: options.metrics.workQueue(options.name) } : {}),
    });
  }

  /** Level-based: whatever happened to whatever object, the owner's key goes in the queue. */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  async start(signal: AbortSignal): Promise<void> {
    const stopResync = this.scheduleResync();
    signal.addEventListener('abort', () => void this.queue.shutDownWithDrain(), { once: true });
    for (const key of this.options.keys?.() ?? []) this.queue.add(key);
    const workers = Array.from({ length: this.options.concurrency ?? 1 }, () => this.worker());
    await Promise.all(workers);
    stopResync();
  }

  private scheduleResync(): () => void {
    const every = this.options.resyncMs ?? 0;
    if (every <= 0 || !this.options.keys) return () => undefined;
    let cancel = (): void => undefined;
    const tick = (): void => {
      for (const key of this.options.keys?.() ?? []) this.queue.add(key);
      cancel = this.clock.after(every, tick);
    };
    cancel = this.clock.after(every, tick);
    return () => {
      cancel();
    };
  }

  private async worker(): Promise<void> {
    this.metrics?.workerStarted();
    for (;;) {
      const item = await this.queue.get();
      if (item.shutdown) break;
      await this.process(item.key);
      this.queue.done(item.key);
    }
    this.metrics?.workerStopped();
  }

  private async process(key: string): Promise<void> {
    const reconcileID = nextReconcileID();
    const started = this.clock.now();
    const seconds = (): number => (this.clock.now() - started) / 1000;
    try {
      const outcome = await this.options.reconcile(key, reconcileID);
      this.queue.forget(key);
      if (outcome.requeueAfterMs !== undefined) {
        this.queue.addAfter(key, outcome.requeueAfterMs);
        this.metrics?.observeReconcile(ReconcileResult.RequeueAfter, seconds());
      } else {
        this.metrics?.observeReconcile(ReconcileResult.Success, seconds());
      }
    } catch (err) {
      this.metrics?.observeReconcile(ReconcileResult.Error, seconds());
      this.log.warn('Reconciler error', { name: key, reconcileID, error: err as Error });
      this.queue.addRateLimited(key);
    }
  }
}
