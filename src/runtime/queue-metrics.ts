// The `workqueue_*` metrics of one queue, fed by hooks the queue calls at client-go's points: `add` when a key
// becomes dirty, `get` when a worker takes it, `done` when the worker finishes, `retry` on a rate-limited re-add.
// The recorder remembers when each key was queued and started, so durations need no help from the queue.
import type { Counter, Gauge, Histogram } from 'prom-client';

/** What a work queue reports; every hook is cheap and never throws. */
export interface QueueMetrics<K = unknown> {
  add(key: K): void;
  get(key: K): void;
  done(key: K): void;
  retry(): void;
}

/** The metric families shared by every queue of one registry, labelled by queue name. */
export interface QueueMetricFamilies {
  depth: Gauge<'name'>;
  adds: Counter<'name'>;
  queueDuration: Histogram<'name'>;
  workDuration: Histogram<'name'>;
  retries: Counter<'name'>;
  unfinishedWork: Gauge<'name'>;
  longestRunning: Gauge<'name'>;
}

export class QueueMetricsRecorder implements QueueMetrics {
  readonly name: string;
  private readonly families: QueueMetricFamilies;
  private readonly now: () => number;
  private readonly queuedAt = new Map<unknown, number>();
  private readonly startedAt = new Map<unknown, number>();

  constructor(name: string, families: QueueMetricFamilies, now: () => number) {
    this.name = name;
    this.families = families;
    this.now = now;
    // Series exist from the start, so a dashboard shows 0 rather than "no data" for an idle queue.
    families.depth.set({ name }, 0);
    families.adds.inc({ name }, 0);
    families.retries.inc({ name }, 0);
  }

  add(key: unknown): void {
    this.families.adds.inc({ name: this.name });
    this.families.depth.inc({ name: this.name });
    if (!this.queuedAt.has(key)) this.queuedAt.set(key, this.now());
  }

  get(key: unknown): void {
    const now = this.now();
    this.families.depth.dec({ name: this.name });
    const queued = this.queuedAt.get(key);
    if (queued !== undefined) {
      this.families.queueDuration.observe({ name: this.name }, seconds(now - queued));
      this.queuedAt.delete(key);
    }
    this.startedAt.set(key, now);
  }

  done(key: unknown): void {
    const started = this.startedAt.get(key);
    if (started === undefined) return;
    this.families.workDuration.observe({ name: this.name }, seconds(this.now() - started));
    this.startedAt.delete(key);
  }

  retry(): void {
    this.families.retries.inc({ name: this.name });
  }

  /** Seconds of work in progress not yet observed by `workqueue_work_duration_seconds`. */
  unfinishedWorkSeconds(): number {
    const now = this.now();
    let total = 0;
    for (const started of this.startedAt.values()) total += now - started;
    return seconds(total);
  }

  longestRunningSeconds(): number {
    const now = this.now();
    let longest = 0;
    for (const started of this.startedAt.values()) longest = Math.max(longest, now - started);
    return seconds(longest);
  }
}

function seconds(ms: number): number {
  return Math.max(0, ms) / 1000;
}
