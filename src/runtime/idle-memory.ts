// Gives memory back to the system once the process has gone quiet. V8 keeps the pages a collection frees in a pool
// for reuse, resident, and an idle process never collects again: measured (ADR 0026), an operator that installed
// five meshes held 112 MiB of such pages beside a 28 MB heap, for as long as it ran. Only a memory-reducing
// collection (V8's "last resort" flavour) hands the pool back. It stops the process for tens of milliseconds, so
// it runs only when the event loop was nearly idle for two whole intervals and resident memory has grown since the
// last one (or a caller knows that a large allocation was just let go, as a terminated worker thread's).
import { performance } from 'node:perf_hooks';
import { pause } from './abortable-wait.ts';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import { silentLogger } from './logger.ts';
import type { Runnable } from './runnable-group.ts';

export interface IdleMemoryOptions {
  /**
   * The memory-reducing collection. Node offers it only to a process started with `--expose-gc`; without it
   * (`globalThis.gc` undefined) the reclaimer does nothing.
   */
  collect?: (() => void) | undefined;
  /** Resident memory in bytes; the process's own unless given. */
  residentBytes?: () => number;
  /** The event loop's utilization (0 to 1) since the previous call; Node's own unless given. */
  utilization?: () => number;
  /** How often to look; 5 s unless given. */
  intervalMs?: number;
  /** Below this utilization over a whole interval the process counts as idle; 0.1 unless given. */
  idleUtilization?: number;
  /** Growth of resident memory since the last collection that is worth one; 8 MiB unless given. */
  growthBytes?: number;
  /**
   * Subscribes `reclaimSoon` to news of large allocations let go (a worker thread ended); returns the
   * unsubscribe. Called when the reclaimer starts, undone when it stops.
   */
  subscribe?: (reclaimSoon: () => void) => () => void;
  /** Told how long each collection took (seconds). */
  observe?: (seconds: number) => void;
  logger?: Logger;
  clock?: Clock;
}

/** Node's memory-reducing collection, when the process was started with `--expose-gc`. */
export function lastResortCollection(): (() => void) | undefined {
  const gc = globalThis.gc;
  if (gc === undefined) return undefined;
  return () => {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  };
}

/** Node's event-loop utilization, each call over the time since the previous one. */
function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

const mib = 1024 * 1024;

type Limits = Required<Pick<IdleMemoryOptions, 'intervalMs' | 'idleUtilization' | 'growthBytes'>>;

const limitsOf = (o: IdleMemoryOptions): Limits => ({
  intervalMs: o.intervalMs ?? 5_000,
  idleUtilization: o.idleUtilization ?? 0.1,
  growthBytes: o.growthBytes ?? 8 * mib,
});

export class IdleMemoryReclaimer implements Runnable {
  readonly name = 'idle-memory-reclaimer';
  readonly needLeader = false;
  private readonly collect: (() => void) | undefined;
  private readonly residentBytes: () => number;
  private readonly utilization: () => number;
  private readonly limits: Limits;
  private readonly subscribe: (reclaimSoon: () => void) => () => void;
  private readonly observe: (seconds: number) => void;
  private readonly logger: Logger;
  private readonly clock: Clock;
  /** Resident memory right after the last collection (or at start): growth is measured from here. */
  private floor: number;
  private requested = false;
  private quietIntervals = 0;

  constructor(options: IdleMemoryOptions = {}) {
    this.collect = options.collect;
    this.residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
    this.utilization = options.utilization ?? eventLoopUtilization();
    this.limits = limitsOf(options);
    this.subscribe = options.subscribe ?? (() => () => undefined);
    this.observe = options.observe ?? (() => undefined);
    this.logger = options.logger ?? silentLogger();
    this.clock = options.clock ?? realClock;
    this.floor = this.residentBytes();
  }

  /** A large allocation was just let go (its pages went to the pool): collect once the loop is quiet again. */
  reclaimSoon(): void {
    this.requested = true;
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.collect === undefined) {
      this.logger.debug('Idle memory reclaim off: the process was started without --expose-gc');
      return;
    }
    const unsubscribe = this.subscribe(() => {
      this.reclaimSoon();
    });
    try {
      this.utilization();
      while (await pause(this.clock, this.limits.intervalMs, signal)) this.check(this.collect);
    } finally {
      unsubscribe();
    }
  }

  private check(collect: () => void): void {
    this.quietIntervals = this.utilization() < this.limits.idleUtilization ? this.quietIntervals + 1 : 0;
    const resident = this.residentBytes();
    // Memory that went down on its own lowers the mark growth is measured from.
    this.floor = Math.min(this.floor, resident);
    // Two quiet intervals in a row: one alone may be the lull before a burst that is just arriving.
    if (this.quietIntervals < 2) return;
    if (!this.requested && resident - this.floor < this.limits.growthBytes) return;
    const started = performance.now();
    collect();
    const seconds = (performance.now() - started) / 1000;
    this.requested = false;
    this.floor = this.residentBytes();
    // The collection itself kept the loop busy: it is not the next interval's work.
    this.utilization();
    this.observe(seconds);
    this.logger.debug('Reclaimed idle memory', {
      durationMs: Math.round(seconds * 1000),
      fromMiB: Math.round(resident / mib),
      toMiB: Math.round(this.floor / mib),
    });
  }
}
