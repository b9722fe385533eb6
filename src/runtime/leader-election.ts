// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection package: campaign until the
// lease is free or expired (by our clock, see lease-record.ts), then renew it every retry period; a leader that
// cannot renew within the renew deadline, or sees another holder, has lost and must stop writing at once. Every
// write carries the resourceVersion it read, so of two candidates racing for the lease exactly one wins (409).
import { isAlreadyExists, isConflict, isNotFound } from '../kube/index.ts';
import type { ObjectClient, ObjectRef } from '../kube/index.ts';
import { pause } from './abortable-wait.ts';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { heldByOther, nextRecord, observe, recordOf, releasedRecord } from './lease-record.ts';
import type { Lease, LeaseRecord, Observation } from './lease-record.ts';
import { describeError, silentLogger } from './logger.ts';
import type { Logger } from './logger.ts';

/** The object-client calls leader election needs. */
export type LeaseClient = Pick<ObjectClient, 'get' | 'create' | 'replace'>;

export interface LeaderElectionConfig {
  lease: { name: string; namespace: string };
  /** Unique per process, e.g. the pod name plus a random suffix. */
  identity: string;
  /** How long a lease protects its holder after its last renewal; 15 s unless given. */
  leaseDurationMs?: number;
  /** How long a leader keeps trying to renew before it gives up leading; 10 s unless given. */
  renewDeadlineMs?: number;
  /** How often candidates try to acquire and the leader renews; 2 s unless given. */
  retryPeriodMs?: number;
  /** Give the lease up when cancelled, so a successor takes over at once (client-go's ReleaseOnCancel). */
  releaseOnCancel?: boolean;
  logger?: Logger;
  /** Reads time and sets the retry timers; the real clock unless given. */
  clock?: Clock;
}

export interface LeaderCallbacks {
  /** This process now holds the lease; start the work only a leader may do. */
  onStartedLeading?(): void;
  /** Leadership ended (lost or released); called only after onStartedLeading. */
  onStoppedLeading?(): void;
  /** The lease changed hands (to anyone, us included). */
  onNewLeader?(identity: string): void;
}

export const LeadershipEnd = {
  /** The signal aborted: we stopped campaigning, or released (or simply stopped renewing) the lease. */
  Cancelled: 'Cancelled',
  /** We led, and could not renew in time or saw another holder. */
  Lost: 'Lost',
} as const;
export type LeadershipEnd = (typeof LeadershipEnd)[keyof typeof LeadershipEnd];

/** What the manager needs from an elector; LeaderElector is the real one. */
export interface Elector {
  /** The lease's name (the `name` label of `leader_election_master_status`). */
  readonly name: string;
  readonly identity: string;
  /** Campaigns, then leads until `signal` aborts or the lease is lost. */
  run(signal: AbortSignal, callbacks?: LeaderCallbacks): Promise<LeadershipEnd>;
}

const jitterFactor = 1.2;

export class LeaderElector implements Elector {
  readonly name: string;
  readonly identity: string;
  private readonly client: LeaseClient;
  private readonly ref: ObjectRef;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly releaseOnCancel: boolean;
  private readonly log: Logger;
  private readonly clock: Clock;
  private observation: Observation | undefined;
  /** The lease as we last wrote it, while we hold it. */
  private held: Lease | undefined;
  /** When (our clock) we sent the last write that succeeded: the holder's protection starts no earlier. */
  private renewedAt = 0;
  /** Counts ended terms, so an answer that arrives after its term ended cannot make us leader again. */
  private term = 0;

  constructor(client: LeaseClient, config: LeaderElectionConfig) {
    this.client = client;
    this.name = config.lease.name;
    this.identity = config.identity;
    this.ref = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', ...config.lease };
    this.leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    this.releaseOnCancel = config.releaseOnCancel ?? true;
    this.clock = config.clock ?? realClock;
    this.log = (config.logger ?? silentLogger()).child({
      component: 'leader-election',
      namespace: config.lease.namespace,
      name: config.lease.name,
      identity: config.identity,
    });
    checkDurations(this.leaseDurationMs, this.renewDeadlineMs, this.retryPeriodMs);
  }

  isLeader(): boolean {
    return this.held !== undefined;
  }

  /** The holder we last saw on the lease ('' when none). */
  leader(): string {
    return this.observation?.record.holderIdentity ?? '';
  }

  async run(signal: AbortSignal, callbacks: LeaderCallbacks = {}): Promise<LeadershipEnd> {
    if (!(await this.acquire(signal, callbacks))) {
      // Stopped while a late win was being renewed: what we hold is given back.
      if (this.releaseOnCancel) await this.release();
      this.held = undefined;
      return LeadershipEnd.Cancelled;
    }
    this.log.info('Acquired lease');
    callbacks.onStartedLeading?.();
    try {
      const end = await this.renew(signal, callbacks);
      if (end === LeadershipEnd.Lost) this.log.error('Lost lease');
      else if (this.releaseOnCancel) await this.release();
      return end;
    } finally {
      this.term++;
      this.held = undefined;
      callbacks.onStoppedLeading?.();
    }
  }

  /** Gives the lease up if we hold it: no holder, so the next candidate takes it without waiting. */
  async release(): Promise<boolean> {
    const held = this.held;
    if (!held) return true;
    const record = releasedRecord(recordOf(held), this.clock.now());
    try {
      await this.client.replace({ ...held, spec: record });
      this.held = undefined;
      this.log.info('Released lease');
      return true;
    } catch (err) {
      // 409: someone else wrote it since; it is not ours to release any more.
      this.log.warn('Failed to release lease', { error: describeError(err) });
      this.held = undefined;
      return false;
    }
  }

  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(callbacks)) {
        if (this.canRenewInTime()) return true;
        // The winning round was so slow (an API server thawing after a freeze) that its renew deadline, counted
        // from when the round began, is all but gone: leading now would end at the first renewal, with the work
        // started and nobody left to finish it. Renew at once, as the holder, and lead on a fresh deadline.
        this.log.info('Acquired lease late; renewing before leading');
        continue;
      }
      const wait = this.retryPeriodMs * (1 + Math.random() * (jitterFactor - 1));
      if (!(await pause(this.clock, wait, signal))) return false;
    }
    return false;
  }

  private async renew(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<LeadershipEnd> {
    let wait = this.retryPeriodMs;
    while (await pause(this.clock, wait, signal)) {
      const deadline = this.renewedAt + this.renewDeadlineMs;
      const renewed = await raceDeadline(
        this.clock,
        this.tryAcquireOrRenew(callbacks),
        deadline - this.clock.now(),
      );
      if (!renewed && (this.lostTo() !== undefined || this.clock.now() >= deadline))
        return LeadershipEnd.Lost;
      // A renewal that came back late leaves less than a full wait before its own deadline: the next is sent
      // sooner, so a slow but answering API server does not cost the lease. After a failure, a full wait.
      wait = renewed
        ? Math.max(0, Math.min(this.retryPeriodMs, this.renewBudget() - this.retryPeriodMs))
        : this.retryPeriodMs;
    }
    return LeadershipEnd.Cancelled;
  }

  /** How long (ms) until the renew deadline of the last renewal. */
  private renewBudget(): number {
    return this.renewedAt + this.renewDeadlineMs - this.clock.now();
  }

  /** The last renewal leaves at least a retry period before the renew deadline. */
  private canRenewInTime(): boolean {
    return this.renewBudget() > this.retryPeriodMs;
  }

  /** Another holder whose lease is still valid, if we saw one. */
  private lostTo(): string | undefined {
    const o = this.observation;
    return o && heldByOther(o, this.identity, this.clock.now()) ? o.record.holderIdentity : undefined;
  }

  /** One round: read the lease, and write it if it is free, expired or ours. True when we hold it after. */
  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<boolean> {
    const startedAt = this.clock.now();
    const term = this.term;
    try {
      const current = await this.read();
      if (current) {
        this.see(recordOf(current), callbacks);
        if (this.lostTo() !== undefined) return false;
      }
      const record = nextRecord(current && recordOf(current), this.identity, this.leaseSeconds(), startedAt);
      const written = current ? await this.write(current, record) : await this.create(record);
      if (!written || term !== this.term) return false;
      this.held = written;
      this.renewedAt = startedAt;
      this.see(record, callbacks);
      return true;
    } catch (err) {
      this.log.warn('Failed to acquire or renew lease', { error: describeError(err) });
      return false;
    }
  }

  private async read(): Promise<Lease | undefined> {
    try {
      return await this.client.get<Lease>(this.ref);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** A compare-and-swap on the resourceVersion we read; undefined when another candidate wrote first. */
  private async write(current: Lease, record: LeaseRecord): Promise<Lease | undefined> {
    try {
      return await this.client.replace<Lease>({ ...current, spec: record });
    } catch (err) {
      if (isConflict(err)) return undefined;
      throw err;
    }
  }

  private async create(record: LeaseRecord): Promise<Lease | undefined> {
    const lease: Lease = {
      apiVersion: this.ref.apiVersion,
      kind: this.ref.kind,
      metadata: { name: this.ref.name, namespace: this.ref.namespace ?? '' },
      spec: record,
    };
    try {
      return await this.client.create<Lease>(lease);
    } catch (err) {
      if (isAlreadyExists(err)) return undefined;
      throw err;
    }
  }

  private see(record: LeaseRecord, callbacks: LeaderCallbacks): void {
    const before = this.observation?.record.holderIdentity;
    this.observation = observe(this.observation, record, this.clock.now());
    const holder = record.holderIdentity;
    if (holder !== '' && holder !== before) {
      this.log.info('Observed new leader', { leader: holder });
      callbacks.onNewLeader?.(holder);
    }
  }

  private leaseSeconds(): number {
    return Math.ceil(this.leaseDurationMs / 1000);
  }
}

function checkDurations(leaseMs: number, renewMs: number, retryMs: number): void {
  // client-go's rules: a leader must give up before its lease can expire for others, and retry within it.
  if (leaseMs <= renewMs)
    throw new Error('leader election: leaseDuration must be greater than renewDeadline');
  if (renewMs <= retryMs * jitterFactor) {
    throw new Error(
      `leader election: renewDeadline must be greater than retryPeriod*${String(jitterFactor)}`,
    );
  }
  if (retryMs <= 0) throw new Error('leader election: retryPeriod must be positive');
}

/** The attempt's answer, or false if it has not come within `ms`: a renewal that late is no renewal. */
async function raceDeadline(clock: Clock, attempt: Promise<boolean>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  const timer = new AbortController();
  const late = pause(clock, ms, timer.signal).then(() => false);
  try {
    return await Promise.race([attempt, late]);
  } finally {
    timer.abort();
  }
}
