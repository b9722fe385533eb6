// Prometheus metrics under controller-runtime's and client-go's names, so dashboards built for Go operators work
// unchanged. Each manager owns one registry (never prom-client's global one): two managers in one process, as
// in tests, keep separate numbers. Why prom-client: docs/adr/0007-prom-client-for-metrics.md.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { QueueMetricsRecorder } from './queue-metrics.ts';
import type { QueueMetricFamilies } from './queue-metrics.ts';

export { QueueMetricsRecorder } from './queue-metrics.ts';
export type { QueueMetrics } from './queue-metrics.ts';

/** controller-runtime's `result` label values of `controller_runtime_reconcile_total`. */
export const ReconcileResult = {
  Success: 'success',
  Error: 'error',
  Requeue: 'requeue',
  RequeueAfter: 'requeue_after',
} as const;
export type ReconcileResult = (typeof ReconcileResult)[keyof typeof ReconcileResult];

export interface ControllerMetrics {
  /** One finished reconcile: its outcome and how long it took. */
  observeReconcile(result: ReconcileResult, seconds: number): void;
  workerStarted(): void;
  workerStopped(): void;
}

export interface LeaderElectionMetrics {
  setLeading(leading: boolean): void;
}

export interface MetricsOptions {
  /** Also export `process_*` and `nodejs_*` metrics (CPU, memory, event loop lag). */
  processMetrics?: boolean;
  /** Times the work-queue durations; the real clock unless given. */
  clock?: Clock;
}

/** One API request, as the client saw it (the kube transport's RequestObservation, by shape). */
export interface ClientRequest {
  method: string;
  host: string;
  code: string;
  seconds: number;
}

export interface Exposition {
  contentType: string;
  body: string;
}

// controller-runtime's buckets for reconcile time (pkg/internal/controller/metrics).
const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
// client-go's buckets for request latency (component-base/metrics/prometheus/restclient).
const requestBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
// controller-runtime's work-queue buckets: 10ns to 1000s, a factor of ten apart.
const queueBuckets = Array.from({ length: 12 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));

/** The idle memory reclaimer's pauses (src/runtime/idle-memory.ts). */
function idleReclaimHistogram(registry: Registry): Histogram {
  return new Histogram({
    name: 'idle_memory_reclaim_duration_seconds',
    help: 'Time the process stood still in each collection that gave idle memory back to the system.',
    buckets: requestBuckets,
    registers: [registry],
  });
}

export class RuntimeMetrics {
  readonly registry = new Registry();
  private readonly now: () => number;
  private readonly reconcileTotal: Counter<'controller' | 'result'>;
  private readonly reconcileErrors: Counter<'controller'>;
  private readonly reconcileTime: Histogram<'controller'>;
  private readonly activeWorkers: Gauge<'controller'>;
  private readonly maxConcurrent: Gauge<'controller'>;
  private readonly leaderStatus: Gauge<'name'>;
  private readonly requestTotal: Counter<'code' | 'method' | 'host'>;
  private readonly requestTime: Histogram<'verb' | 'host'>;
  private readonly idleReclaimTime: Histogram;
  private readonly queue: QueueMetricFamilies;
  private readonly queues = new Map<string, QueueMetricsRecorder>();

  constructor(options: MetricsOptions = {}) {
    const clock = options.clock ?? realClock;
    this.now = () => clock.now();
    const registers = [this.registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: reconcileBuckets,
      registers,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers,
    });
    this.maxConcurrent = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help:
        'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. ' +
        "'name' is the string used to identify the lease.",
      labelNames: ['name'],
      registers,
    });
    // client-go's names and labels, so a user sees the operator's request rate as for any Go controller.
    this.requestTotal = new Counter({
      name: 'rest_client_requests_total',
      help: 'Number of HTTP requests, partitioned by status code, method, and host.',
      labelNames: ['code', 'method', 'host'],
      registers,
    });
    this.requestTime = new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'Request latency in seconds. Broken down by verb, and host.',
      labelNames: ['verb', 'host'],
      buckets: requestBuckets,
      registers,
    });
    this.idleReclaimTime = idleReclaimHistogram(this.registry);
    this.queue = queueFamilies(this.registry, () => this.queues.values());
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** The metrics of one controller; its series start at zero, as controller-runtime's do. */
  controller(name: string, maxConcurrentReconciles: number): ControllerMetrics {
    for (const result of Object.values(ReconcileResult))
      this.reconcileTotal.inc({ controller: name, result }, 0);
    this.reconcileErrors.inc({ controller: name }, 0);
    this.activeWorkers.set({ controller: name }, 0);
    this.maxConcurrent.set({ controller: name }, maxConcurrentReconciles);
    return {
      observeReconcile: (result, seconds) => {
        this.reconcileTotal.inc({ controller: name, result });
        if (result === ReconcileResult.Error) this.reconcileErrors.inc({ controller: name });
        this.reconcileTime.observe({ controller: name }, seconds);
      },
      workerStarted: () => {
        this.activeWorkers.inc({ controller: name });
      },
      workerStopped: () => {
        this.activeWorkers.dec({ controller: name });
      },
    };
  }

  /** The `workqueue_*` metrics of the queue called `name`, as hooks the queue calls. */
  workQueue(name: string): QueueMetricsRecorder {
    let recorder = this.queues.get(name);
    if (!recorder) {
      recorder = new QueueMetricsRecorder(name, this.queue, this.now);
      this.queues.set(name, recorder);
    }
    return recorder;
  }

  /** `leader_election_master_status{name}`: 1 while this process holds the lease. */
  leaderElection(name: string): LeaderElectionMetrics {
    this.leaderStatus.set({ name }, 0);
    return {
      setLeading: (leading) => {
        this.leaderStatus.set({ name }, leading ? 1 : 0);
      },
    };
  }

  /** One collection of the idle memory reclaimer (IdleMemoryReclaimer's `observe`). */
  readonly observeIdleReclaim = (seconds: number): void => {
    this.idleReclaimTime.observe(seconds);
  };

  /** Counts one API request (hand it to the kube transport as its observer). */
  readonly observeRequest = (r: ClientRequest): void => {
    this.requestTotal.inc({ code: r.code, method: r.method, host: r.host });
    this.requestTime.observe({ verb: r.method, host: r.host }, r.seconds);
  };

  /** The text exposition format for `/metrics`. */
  async expose(): Promise<Exposition> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export function createMetrics(options: MetricsOptions = {}): RuntimeMetrics {
  return new RuntimeMetrics(options);
}

function queueFamilies(
  registry: Registry,
  queues: () => Iterable<QueueMetricsRecorder>,
): QueueMetricFamilies {
  const registers = [registry];
  const labelNames = ['name'] as const;
  return {
    depth: new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames, registers }),
    adds: new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames,
      registers,
    }),
    queueDuration: new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames,
      buckets: queueBuckets,
      registers,
    }),
    workDuration: new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames,
      buckets: queueBuckets,
      registers,
    }),
    retries: new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames,
      registers,
    }),
    // The two in-flight gauges are computed when scraped, from the work each queue has in progress.
    unfinishedWork: new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help:
        "How many seconds of work has been done that is in progress and hasn't been observed by " +
        'work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by ' +
        'observing the rate at which this increases.',
      labelNames,
      registers,
      collect() {
        for (const q of queues()) this.set({ name: q.name }, q.unfinishedWorkSeconds());
      },
    }),
    longestRunning: new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames,
      registers,
      collect() {
        for (const q of queues()) this.set({ name: q.name }, q.longestRunningSeconds());
      },
    }),
  };
}
