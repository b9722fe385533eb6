// A set of runnables the manager starts and stops together: one abort signal for all, and a stop that waits for
// every one of them to return (drain) up to a deadline.
import { pause } from './abortable-wait.ts';
import type { Clock } from './clock.ts';

/** Anything the manager runs. `start` resolves when the work is over: after `signal` aborts, normally. */
export interface Runnable {
  /** For logs; 'runnable' unless given. */
  readonly name?: string;
  /** Runs only while this process holds the leader lease (controllers that write). */
  readonly needLeader: boolean;
  start(signal: AbortSignal): Promise<void>;
  /** Present on caches: true once their first list has been loaded. */
  hasSynced?(): boolean;
}

export class RunnableGroup {
  readonly runnables: Runnable[] = [];
  private readonly abort = new AbortController();
  private readonly running: Promise<void>[] = [];
  private readonly clock: Clock;
  private readonly onError: (runnable: Runnable, err: unknown) => void;
  private started = false;

  constructor(clock: Clock, onError: (runnable: Runnable, err: unknown) => void) {
    this.clock = clock;
    this.onError = onError;
  }

  add(runnable: Runnable): void {
    this.runnables.push(runnable);
    if (this.started) this.launch(runnable);
  }

  /** Starts every runnable (once); runnables added later start as they are added. */
  start(): void {
    if (this.started || this.abort.signal.aborted) return;
    this.started = true;
    for (const r of this.runnables) this.launch(r);
  }

  /** Aborts the group's signal and waits until every runnable returned; false if `timeoutMs` passed first. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.abort.abort();
    const all = Promise.all(this.running).then(() => true);
    const timer = new AbortController();
    const late = pause(this.clock, Math.max(0, timeoutMs), timer.signal).then(() => false);
    try {
      return await Promise.race([all, late]);
    } finally {
      timer.abort();
    }
  }

  private launch(runnable: Runnable): void {
    if (this.abort.signal.aborted) return;
    const signal = this.abort.signal;
    // Started synchronously, in order; a runnable that throws before its first await is reported like any other.
    const done = (async () => {
      await runnable.start(signal);
    })().catch((err: unknown) => {
      this.onError(runnable, err);
    });
    this.running.push(done);
  }
}
