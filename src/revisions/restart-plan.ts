// The batch decision of a workload migration: which workloads to restart now, or why to wait. Pure, and fed only
// with what the cluster shows (each workload's restart annotation and readiness) plus the last status, so an
// operator killed at any point decides the same thing again and never restarts a workload twice.
import type { MigrationStatus, RestartWorkloads } from '../api/index.ts';
import { defaultBatchTimeout, defaultRestartBatchSize, goDurationMs } from '../api/index.ts';

export interface MigratingWorkload {
  /** `Kind namespace/name`. */
  ref: string;
  /** The revision its pod template was last restarted for (the restart annotation), if any. */
  restartedFor: string | undefined;
}

export interface RestartSettings {
  batchSize: number;
  pauseMs: number;
  maxUnavailable: number;
  batchTimeoutMs: number;
  /** Minutes after midnight UTC; restarts start only inside [start, end) (wrapping past midnight). */
  window?: { start: number; end: number } | undefined;
}

/** spec.updateStrategy.restartWorkloads with meshop's defaults filled in (whether or not restarts are enabled). */
export function restartSettingsOf(r: RestartWorkloads | undefined): RestartSettings {
  return {
    batchSize: r?.batchSize ?? defaultRestartBatchSize,
    pauseMs: parseDuration(r?.pauseBetweenBatches),
    maxUnavailable: r?.maxUnavailable ?? 0,
    batchTimeoutMs: parseDuration(r?.batchTimeout ?? defaultBatchTimeout),
    window: r?.window ? { start: clockMinutes(r.window.start), end: clockMinutes(r.window.end) } : undefined,
  };
}

export interface RestartInput {
  from: readonly string[];
  to: string;
  /** Workloads with pods still on an old revision, in namespaces that now ask for `to`. */
  workloads: readonly MigratingWorkload[];
  previous: MigrationStatus | undefined;
  settings: RestartSettings;
  now: Date;
}

export interface RestartDecision {
  restart: string[];
  status: MigrationStatus;
  /** The workload that did not become ready in time: nothing more is restarted. */
  blockedBy?: string;
  requeueAfterMs?: number;
}

const minutesOf = (d: Date): number => d.getUTCHours() * 60 + d.getUTCMinutes();

/** Milliseconds until the window opens; 0 inside it, without one, or for start == end (the whole day). */
export function untilWindowOpens(window: RestartSettings['window'], now: Date): number {
  if (!window || window.start === window.end) return 0;
  const t = minutesOf(now);
  const inside =
    window.start <= window.end ? t >= window.start && t < window.end : t >= window.start || t < window.end;
  if (inside) return 0;
  const minutes = (window.start - t + 1440) % 1440;
  return minutes * 60_000 - now.getUTCSeconds() * 1000 - now.getUTCMilliseconds();
}

const pollMs = 2000;

function sameMigration(previous: MigrationStatus | undefined, to: string): MigrationStatus | undefined {
  return previous?.to === to ? previous : undefined;
}

interface Progress {
  previous: MigrationStatus | undefined;
  inFlight: string[];
  pending: string[];
  /** Workloads of the last batch that have rolled out since. */
  finished: number;
  base: MigrationStatus;
}

/**
 * When the rolling batch started. The clock belongs to the workloads it times: in-flight workloads the last
 * status does not list (it was lost, or the operator died between a restart and its status write) start a fresh
 * clock now, so a batch is never timed from an earlier one, nor never timed at all.
 */
function batchClock(
  previous: MigrationStatus | undefined,
  inFlight: readonly string[],
  now: Date,
): string | undefined {
  if (inFlight.length === 0) return previous?.batchStarted;
  const known = new Set(previous?.current ?? []);
  const unknown = inFlight.some((ref) => !known.has(ref));
  return unknown || previous?.batchStarted === undefined ? now.toISOString() : previous.batchStarted;
}

function progressOf(input: RestartInput): Progress {
  const previous = sameMigration(input.previous, input.to);
  const inFlight = input.workloads.filter((w) => w.restartedFor === input.to).map((w) => w.ref);
  const pending = input.workloads.filter((w) => w.restartedFor !== input.to).map((w) => w.ref);
  const stillMigrating = new Set(input.workloads.map((w) => w.ref));
  const finished = (previous?.current ?? []).filter((ref) => !stillMigrating.has(ref)).length;
  const done = (previous?.done ?? 0) + finished;
  const base: MigrationStatus = {
    from: [...input.from],
    to: input.to,
    done,
    total: done + inFlight.length + pending.length,
    current: inFlight,
  };
  const batchStarted = batchClock(previous, inFlight, input.now);
  if (batchStarted !== undefined) base.batchStarted = batchStarted;
  if (previous?.nextBatchAt) base.nextBatchAt = previous.nextBatchAt;
  return { previous, inFlight, pending, finished, base };
}

/** How long to wait before the next batch: a pause that starts now or runs, or a closed window. */
function waitBeforeBatch(
  p: Progress,
  settings: RestartSettings,
  now: Date,
): { ms: number; nextBatchAt?: string } {
  // A batch has run since the last pause (nextBatchAt is cleared when a batch starts) and is done enough.
  const batchDone =
    p.previous?.batchStarted !== undefined &&
    p.previous.nextBatchAt === undefined &&
    p.inFlight.length <= settings.maxUnavailable;
  if (batchDone && settings.pauseMs > 0) {
    return { ms: settings.pauseMs, nextBatchAt: new Date(now.getTime() + settings.pauseMs).toISOString() };
  }
  const paused = p.previous?.nextBatchAt ? Date.parse(p.previous.nextBatchAt) - now.getTime() : 0;
  return { ms: Math.max(untilWindowOpens(settings.window, now), paused) };
}

export function decideRestarts(input: RestartInput): RestartDecision {
  const { settings, now } = input;
  const p = progressOf(input);
  const blocked = blockedWorkload(p, settings, now);
  if (blocked !== undefined)
    return { restart: [], status: { ...p.base, blockedBy: blocked }, blockedBy: blocked };
  if (p.inFlight.length > settings.maxUnavailable)
    return { restart: [], status: p.base, requeueAfterMs: pollMs };
  if (p.pending.length === 0) {
    // The last stragglers still roll out: look again, so their timeout is checked too.
    return p.inFlight.length > 0
      ? { restart: [], status: p.base, requeueAfterMs: pollMs }
      : { restart: [], status: p.base };
  }
  const wait = waitBeforeBatch(p, settings, now);
  if (wait.ms > 0) {
    const status = wait.nextBatchAt ? { ...p.base, nextBatchAt: wait.nextBatchAt } : p.base;
    return { restart: [], status, requeueAfterMs: wait.ms };
  }
  const restart = p.pending.slice(0, settings.batchSize);
  const status: MigrationStatus = {
    ...p.base,
    current: [...p.inFlight, ...restart],
    batchStarted: now.toISOString(),
  };
  delete status.nextBatchAt;
  return { restart, status, requeueAfterMs: pollMs };
}

/** The first in-flight workload that has been rolling out longer than the batch timeout. */
function blockedWorkload(p: Progress, settings: RestartSettings, now: Date): string | undefined {
  if (p.inFlight.length === 0) return undefined;
  const before = p.previous?.blockedBy;
  if (before !== undefined && p.inFlight.includes(before)) return before;
  const started = p.base.batchStarted ? Date.parse(p.base.batchStarted) : now.getTime();
  return now.getTime() - started > settings.batchTimeoutMs ? p.inFlight[0] : undefined;
}

/** A duration field of the spec in milliseconds; unset (or, past the schema, malformed) is 0. */
export function parseDuration(text: string | undefined): number {
  return text === undefined ? 0 : (goDurationMs(text) ?? 0);
}

/** "HH:MM" → minutes after midnight. */
export function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
