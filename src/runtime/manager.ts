// The manager owns everything long-running and starts it in controller-runtime's order: the probe and metrics
// servers, then the caches (and waits for their first sync), then the other runnables, then leader election, and
// only while leading the runnables that write (controllers). It stops in reverse: controllers drain, the lease is
// released so a successor takes over at once, caches and the rest stop, the server closes last. A lost lease or a
// failed runnable stops everything and makes `start()` reject, so main exits non-zero.
import type { AddressInfo } from 'node:net';
import { pause, untilAborted } from './abortable-wait.ts';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { HealthServer } from './health-server.ts';
import type { Check } from './health-server.ts';
import { LeadershipEnd } from './leader-election.ts';
import type { Elector } from './leader-election.ts';
import { silentLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import type { RuntimeMetrics } from './metrics.ts';
import { RunnableGroup } from './runnable-group.ts';
import type { Runnable } from './runnable-group.ts';

export type { Runnable } from './runnable-group.ts';

export interface BindAddress {
  /** Every interface unless given. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
}

const sameAddress = (a: BindAddress, b: BindAddress): boolean => a.host === b.host && a.port === b.port;

export interface ManagerOptions {
  logger?: Logger;
  /** The registry `/metrics` serves; a fresh one unless given. */
  metrics?: RuntimeMetrics;
  /** Where `/healthz` and `/readyz` listen; no probes unless given. */
  server?: BindAddress | undefined;
  /** Where `/metrics` listens; no metrics endpoint unless given. The same address as `server`: one server. */
  metricsServer?: BindAddress | undefined;
  /** Leader election; without it this process leads from the start. */
  elector?: Elector;
  /**
   * Called the moment the lease is lost, before anything is stopped: the operator cuts its API client off here
   * (TransportOptions.fence), since a reconcile still draining must not write while a successor leads.
   */
  onLeadershipLost?: () => void;
  /** How long caches may take to sync before start fails; 2 minutes unless given. */
  cacheSyncTimeoutMs?: number;
  /** How long stopping may wait for runnables to return; 30 s unless given. */
  gracefulShutdownTimeoutMs?: number;
  /** How often to look whether caches have synced; 100 ms unless given. */
  syncPollMs?: number;
  /** For the sync poll and the shutdown deadline; the real clock unless given. */
  clock?: Clock;
}

/** The probe server and, on an address of its own, the metrics server; either may be absent. */
function httpServers(
  { server, metricsServer }: ManagerOptions,
  metrics: RuntimeMetrics,
  logger: Logger,
): [HealthServer | undefined, HealthServer | undefined] {
  const shared = server !== undefined && metricsServer !== undefined && sameAddress(server, metricsServer);
  return [
    server ? new HealthServer({ ...server, ...(shared ? { metrics } : {}), logger }) : undefined,
    metricsServer && !shared
      ? new HealthServer({ ...metricsServer, probes: false, metrics, logger })
      : undefined,
  ];
}

/** Why `start()` rejected: the lease was lost, so another replica may already be writing. */
export class LeaderElectionLostError extends Error {
  constructor(identity: string) {
    super(`leader election lost by ${identity}`);
    this.name = 'LeaderElectionLostError';
  }
}

export class Manager {
  readonly metrics: RuntimeMetrics;
  private readonly options: ManagerOptions;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly server: HealthServer | undefined;
  private readonly metricsServer: HealthServer | undefined;
  private readonly caches: RunnableGroup;
  private readonly others: RunnableGroup;
  private readonly leaders: RunnableGroup;
  private readonly electionAbort = new AbortController();
  private readonly stopping = new AbortController();
  private election: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  private synced = false;
  private started = false;

  constructor(options: ManagerOptions = {}) {
    this.options = options;
    this.log = (options.logger ?? silentLogger()).child({ component: 'manager' });
    this.clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? createMetrics({ clock: this.clock });
    const onError = (r: Runnable, err: unknown): void => {
      this.fail(new Error(`runnable ${r.name ?? 'runnable'} failed`, { cause: err }));
    };
    this.caches = new RunnableGroup(this.clock, onError);
    this.others = new RunnableGroup(this.clock, onError);
    this.leaders = new RunnableGroup(this.clock, onError);
    [this.server, this.metricsServer] = httpServers(options, this.metrics, this.log);
    this.server?.addHealthCheck('ping', () => true);
    this.server?.addReadyCheck('caches', () => this.synced);
  }

  /** Adds a runnable; one added after start joins its group at once (leader-only ones once leading). */
  add(runnable: Runnable): void {
    if (runnable.needLeader) this.leaders.add(runnable);
    else if (runnable.hasSynced) this.caches.add(runnable);
    else this.others.add(runnable);
  }

  addHealthCheck(name: string, check: Check): void {
    this.server?.addHealthCheck(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    this.server?.addReadyCheck(name, check);
  }

  /** The probe server's bound address while it listens (port 0 picks a free port). */
  serverAddress(): AddressInfo | undefined {
    return this.server?.listening ? this.server.address() : undefined;
  }

  /** Where `/metrics` is served while it listens (the probe server's address when they share one). */
  metricsAddress(): AddressInfo | undefined {
    if (this.metricsServer) return this.metricsServer.listening ? this.metricsServer.address() : undefined;
    return this.options.metricsServer ? this.serverAddress() : undefined;
  }

  /** Runs until `stop()` (resolves) or a failure: lost lease, failed runnable, caches not synced (rejects). */
  async start(): Promise<void> {
    if (this.started) throw new Error('manager: start() may be called only once');
    this.started = true;
    this.log.info('Starting manager');
    try {
      await this.startInOrder();
      await untilAborted(this.stopping.signal);
    } catch (err) {
      this.fail(err);
    }
    await this.shutdown();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Asks a running manager to stop; `start()` resolves once everything has stopped. */
  stop(): void {
    if (!this.stopping.signal.aborted) this.log.info('Stopping manager');
    this.stopping.abort();
  }

  /** Stops on SIGTERM or SIGINT (what Kubernetes and a terminal send); returns a function that unhooks. */
  stopOnSignals(target: NodeJS.EventEmitter = process): () => void {
    const onSignal = (signal: string): void => {
      this.log.info('Received signal', { signal });
      this.stop();
    };
    target.on('SIGTERM', onSignal);
    target.on('SIGINT', onSignal);
    return () => {
      target.off('SIGTERM', onSignal);
      target.off('SIGINT', onSignal);
    };
  }

  private async startInOrder(): Promise<void> {
    if (this.server) await this.server.listen();
    if (this.metricsServer) await this.metricsServer.listen();
    this.caches.start();
    await this.waitForCacheSync();
    if (this.stopping.signal.aborted) return;
    this.others.start();
    const elector = this.options.elector;
    if (elector) {
      this.election = this.campaign(elector).catch((err: unknown) => {
        this.fail(err);
      });
    } else this.leaders.start();
  }

  private async waitForCacheSync(): Promise<void> {
    const timeoutMs = this.options.cacheSyncTimeoutMs ?? 120_000;
    const pollMs = this.options.syncPollMs ?? 100;
    const deadline = this.clock.now() + timeoutMs;
    while (!this.caches.runnables.every((c) => c.hasSynced?.() ?? true)) {
      if (this.clock.now() > deadline) throw new Error(`caches did not sync within ${String(timeoutMs)}ms`);
      if (!(await pause(this.clock, pollMs, this.stopping.signal))) return;
    }
    this.synced = true;
    this.log.info('Caches synced', { caches: this.caches.runnables.length });
  }

  private async campaign(elector: Elector): Promise<void> {
    const status = this.metrics.leaderElection(elector.name);
    this.log.info('Starting leader election', { identity: elector.identity });
    const end = await elector.run(this.electionAbort.signal, {
      onStartedLeading: () => {
        status.setLeading(true);
        this.leaders.start();
      },
      onStoppedLeading: () => {
        status.setLeading(false);
      },
    });
    if (end === LeadershipEnd.Lost) {
      this.options.onLeadershipLost?.();
      this.fail(new LeaderElectionLostError(elector.identity));
    }
  }

  /** Records the first failure and starts stopping. */
  private fail(err: unknown): void {
    if (this.failure === undefined) {
      this.failure = err instanceof Error ? err : new Error(`manager failed: ${JSON.stringify(err)}`);
      this.log.error('Manager failed', { error: err });
    }
    this.stopping.abort();
  }

  private async shutdown(): Promise<void> {
    const graceMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    const deadline = this.clock.now() + graceMs;
    const left = (): number => deadline - this.clock.now();
    // Controllers first, and drained, before the lease goes: nothing may write once a successor can lead. (If
    // they do not return in time the lease goes anyway, as in controller-runtime: the process is exiting.)
    const drained = await this.leaders.stop(left());
    this.electionAbort.abort();
    await this.election;
    const rest = await Promise.all([this.others.stop(left()), this.caches.stop(left())]);
    await this.metricsServer?.close();
    await this.server?.close();
    if (!drained || rest.includes(false)) {
      this.fail(new Error(`runnables did not stop within ${String(graceMs)}ms`));
    }
    this.log.info('Stopped manager');
  }
}
