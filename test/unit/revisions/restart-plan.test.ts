// The batch decision of a workload migration: which workloads restart now, and why the others wait.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MigrationStatus } from '../../../src/api/index.ts';
import {
  clockMinutes,
  decideRestarts,
  parseDuration,
  untilWindowOpens,
} from '../../../src/revisions/index.ts';
import type {
  MigratingWorkload,
  RestartDecision,
  RestartInput,
  RestartSettings,
} from '../../../src/revisions/index.ts';

const from = ['prod-1-29-4'];
const to = 'prod-1-30-2';
const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((n) => `Deployment shop/${n}`) as [
  string,
  string,
  string,
  string,
  string,
];

const t0 = new Date('2026-03-02T10:00:00.000Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);
const minute = 60_000;
const hour = 60 * minute;

const settings = (overrides: Partial<RestartSettings> = {}): RestartSettings => ({
  batchSize: 2,
  pauseMs: 0,
  maxUnavailable: 0,
  batchTimeoutMs: 10 * minute,
  ...overrides,
});

/** Workloads not restarted for `to` yet (no annotation, or one for an older revision). */
const waiting = (...refs: string[]): MigratingWorkload[] =>
  refs.map((ref) => ({ ref, restartedFor: undefined }));
/** Workloads restarted for `to` whose pods have not all rolled out yet. */
const rolling = (...refs: string[]): MigratingWorkload[] => refs.map((ref) => ({ ref, restartedFor: to }));

const decide = (input: Partial<RestartInput>): RestartDecision =>
  decideRestarts({ from, to, workloads: [], previous: undefined, settings: settings(), now: t0, ...input });

/** The status the operator wrote after `decision`, as the next pass reads it. */
const after = (decision: RestartDecision, input: Partial<RestartInput>): RestartDecision =>
  decide({ ...input, previous: decision.status });

const utc = (clock: string): Date => new Date(`2026-03-02T${clock}Z`);
const restartWindow = (start: string, end: string) => ({
  start: clockMinutes(start),
  end: clockMinutes(end),
});

describe('decideRestarts: batches', () => {
  it('starts the first batch with the first batchSize pending workloads, in order', () => {
    // GIVEN five workloads on the old revision, none restarted yet, and batches of 2
    const decision = decide({ workloads: waiting(a, b, c, d, e) });
    // THEN the first two are restarted, recorded as the current batch started now, and the operator polls
    assert.deepEqual(decision.restart, [a, b]);
    assert.deepEqual(decision.status.current, [a, b]);
    assert.equal(decision.status.batchStarted, t0.toISOString());
    assert.deepEqual(decision.status, {
      from,
      to,
      done: 0,
      total: 5,
      current: [a, b],
      batchStarted: t0.toISOString(),
    });
    assert.ok((decision.requeueAfterMs ?? 0) > 0);
    assert.equal(decision.blockedBy, undefined);
  });

  it('restarts what is left when fewer than batchSize are pending', () => {
    const decision = decide({ workloads: waiting(a), settings: settings({ batchSize: 3 }) });
    assert.deepEqual(decision.restart, [a]);
  });

  it('treats workloads restarted for `to` as in flight and never restarts them again', () => {
    // GIVEN a and b already restarted for the target (e.g. the operator died before writing its status)
    const workloads = [...rolling(a, b), ...waiting(c, d)];
    // WHEN it decides with no status at all
    const decision = decide({ workloads });
    // THEN a and b count as the batch in flight, nothing else starts while they roll out
    assert.deepEqual(decision.restart, []);
    assert.deepEqual(decision.status.current, [a, b]);
    assert.equal(decision.status.total, 4);
    assert.ok((decision.requeueAfterMs ?? 0) > 0);
  });

  it('never puts a workload restarted for `to` into `restart`, whatever maxUnavailable allows', () => {
    // GIVEN in-flight and pending workloads interleaved, and room for the next batch
    const workloads = [...rolling(a), ...waiting(b), ...rolling(c), ...waiting(d, e)];
    const decision = decide({ workloads, settings: settings({ maxUnavailable: 2 }) });
    // THEN the batch is taken from the pending ones only, in their order
    assert.deepEqual(decision.restart, [b, d]);
    assert.deepEqual(decision.status.current, [a, c, b, d]);
  });

  it('restarts workloads whose annotation names another revision', () => {
    // GIVEN a workload restarted for an earlier migration (its annotation names the old revision)
    const workloads: MigratingWorkload[] = [{ ref: a, restartedFor: 'prod-1-29-4' }];
    // THEN it is pending for this migration
    assert.deepEqual(decide({ workloads }).restart, [a]);
  });

  it('keeps no more than batchSize in flight with maxUnavailable 0', () => {
    // GIVEN the batch a, b in flight; then a rolled out and b still rolling
    const first = decide({ workloads: waiting(a, b, c, d) });
    const oneLeft = after(first, { workloads: [...rolling(b), ...waiting(c, d)], now: at(5_000) });
    // THEN nothing starts while b is in flight, and a counts as done
    assert.deepEqual(oneLeft.restart, []);
    assert.deepEqual(oneLeft.status.current, [b]);
    assert.equal(oneLeft.status.done, 1);
    assert.ok((oneLeft.requeueAfterMs ?? 0) > 0);
    // WHEN b has rolled out too
    const next = after(oneLeft, { workloads: waiting(c, d), now: at(10_000) });
    // THEN the next batch starts
    assert.deepEqual(next.restart, [c, d]);
    assert.equal(next.status.done, 2);
    assert.equal(next.status.batchStarted, at(10_000).toISOString());
  });

  it('starts the next batch as soon as no more than maxUnavailable are still in flight', () => {
    const s = settings({ batchSize: 3, maxUnavailable: 1 });
    const first = decide({ workloads: waiting(a, b, c, d, e), settings: s });
    assert.deepEqual(first.restart, [a, b, c]);
    // GIVEN two of the batch still rolling out: more than maxUnavailable
    const two = after(first, {
      workloads: [...rolling(b, c), ...waiting(d, e)],
      settings: s,
      now: at(1_000),
    });
    assert.deepEqual(two.restart, []);
    // WHEN only one is left
    const one = after(two, { workloads: [...rolling(c), ...waiting(d, e)], settings: s, now: at(2_000) });
    // THEN the next batch starts beside it
    assert.deepEqual(one.restart, [d, e]);
    assert.deepEqual(one.status.current, [c, d, e]);
    assert.equal(one.status.done, 2);
  });
});

describe('decideRestarts: progress', () => {
  it('counts as done the workloads of the last batch that no longer migrate, on top of earlier ones', () => {
    // GIVEN 3 done earlier, a batch a, b, c, of which only b is still migrating, and d not started
    const previous: MigrationStatus = {
      from,
      to,
      done: 3,
      total: 7,
      current: [a, b, c],
      batchStarted: t0.toISOString(),
    };
    const decision = decide({ previous, workloads: [...rolling(b), ...waiting(d)], now: at(1_000) });
    // THEN a and c are done: 5 done, b in flight, d pending
    assert.equal(decision.status.done, 5);
    assert.equal(decision.status.total, 7);
    assert.deepEqual(decision.status.current, [b]);
  });

  it('computes total as done + in flight + pending, even when workloads appear during the migration', () => {
    const previous: MigrationStatus = {
      from,
      to,
      done: 2,
      total: 4,
      current: [a],
      batchStarted: t0.toISOString(),
    };
    // GIVEN a finished, and new workloads (d, e) showed up on the old revision meanwhile
    const decision = decide({ previous, workloads: [...rolling(b), ...waiting(c, d, e)], now: at(1_000) });
    assert.equal(decision.status.done, 3);
    assert.equal(decision.status.total, 3 + 1 + 3);
  });

  it('does not count as done a workload that leaves without having been in the batch', () => {
    // GIVEN d was pending and disappeared (deleted, or its namespace excluded); the batch a is still rolling
    const previous: MigrationStatus = {
      from,
      to,
      done: 0,
      total: 3,
      current: [a],
      batchStarted: t0.toISOString(),
    };
    const decision = decide({ previous, workloads: [...rolling(a), ...waiting(b)], now: at(1_000) });
    assert.equal(decision.status.done, 0);
    assert.equal(decision.status.total, 2);
  });

  it('does nothing and asks for no requeue when nothing is pending or in flight', () => {
    const previous: MigrationStatus = {
      from,
      to,
      done: 4,
      total: 5,
      current: [a],
      batchStarted: t0.toISOString(),
    };
    const decision = decide({
      previous,
      workloads: [],
      now: at(1_000),
      settings: settings({ pauseMs: minute }),
    });
    assert.deepEqual(decision.restart, []);
    assert.equal(decision.requeueAfterMs, undefined);
    assert.equal(decision.blockedBy, undefined);
    assert.equal(decision.status.nextBatchAt, undefined);
    assert.equal(decision.status.done, 5);
    assert.equal(decision.status.total, 5);
    assert.deepEqual(decision.status.current, []);
    assert.deepEqual(decide({}).status, { from, to, done: 0, total: 0, current: [] });
  });

  it('keeps polling while the last batch rolls out with nothing pending', () => {
    const decision = decide({ workloads: rolling(a) });
    assert.deepEqual(decision.restart, []);
    assert.ok((decision.requeueAfterMs ?? 0) > 0);
  });

  it('keeps polling while the last workloads roll out with maxUnavailable > 0', () => {
    // GIVEN the last workload c still rolling out, maxUnavailable 1, nothing pending
    const previous: MigrationStatus = {
      from,
      to,
      done: 0,
      total: 3,
      current: [a, b, c],
      batchStarted: t0.toISOString(),
    };
    const decision = decide({ previous, workloads: rolling(c), settings: settings({ maxUnavailable: 1 }) });
    // THEN the operator must still come back, or c's batch timeout is only noticed if some event arrives
    assert.ok((decision.requeueAfterMs ?? 0) > 0);
  });

  it('ignores a status left by a migration to another revision', () => {
    // GIVEN the status of a finished or abandoned migration to another revision, blocked and paused
    const previous: MigrationStatus = {
      from: ['prod-1-28-0'],
      to: 'prod-1-29-4',
      done: 7,
      total: 9,
      current: [a],
      batchStarted: at(-hour).toISOString(),
      nextBatchAt: at(hour).toISOString(),
      blockedBy: a,
    };
    // WHEN workloads are now moved to `to`
    const decision = decide({ previous, workloads: waiting(a, b, c) });
    // THEN this is a fresh migration: no pause, no block, counts from zero
    assert.deepEqual(decision.restart, [a, b]);
    assert.deepEqual(decision.status, {
      from,
      to,
      done: 0,
      total: 3,
      current: [a, b],
      batchStarted: t0.toISOString(),
    });
    assert.equal(decision.blockedBy, undefined);
  });

  it('changes neither its input nor the previous status', () => {
    const previous: MigrationStatus = Object.freeze({
      from: Object.freeze([...from]) as string[],
      to,
      done: 1,
      total: 4,
      current: Object.freeze([a]) as string[],
      batchStarted: t0.toISOString(),
      nextBatchAt: at(-1).toISOString(),
    });
    const workloads = Object.freeze([...waiting(b, c, d)].map((w) => Object.freeze(w)));
    const decision = decide({ previous, workloads, now: at(1_000) });
    assert.deepEqual(decision.restart, [b, c]);
    assert.equal(previous.nextBatchAt, at(-1).toISOString());
    assert.equal(decision.status.nextBatchAt, undefined);
  });

  it('decides the same thing again from the same cluster state and status (the operator was killed)', () => {
    const input: Partial<RestartInput> = {
      previous: { from, to, done: 1, total: 4, current: [a], batchStarted: t0.toISOString() },
      workloads: waiting(b, c, d),
      now: at(1_000),
    };
    assert.deepEqual(decide(input), decide(input));
  });
});

interface Simulation {
  statuses: MigrationStatus[];
  restarts: string[];
  last: RestartDecision;
}

/** Workloads still on the old revision at `now`: each rolls out `rolloutMs(ref)` after it was restarted. */
function migratingAt(
  refs: readonly string[],
  restartedAt: ReadonlyMap<string, number>,
  rolloutMs: (ref: string) => number,
  now: number,
): MigratingWorkload[] {
  return refs
    .filter((ref) => {
      const started = restartedAt.get(ref);
      return started === undefined || now < started + rolloutMs(ref);
    })
    .map((ref) => ({ ref, restartedFor: restartedAt.has(ref) ? to : undefined }));
}

/** Runs passes of the reconciler against workloads that roll out by themselves, feeding back each status. */
function simulate(
  refs: readonly string[],
  s: RestartSettings,
  rolloutMs: (ref: string) => number,
): Simulation {
  const restartedAt = new Map<string, number>();
  const sim: Simulation = { statuses: [], restarts: [], last: decide({}) };
  let previous: MigrationStatus | undefined;
  let now = t0.getTime();
  for (let pass = 0; pass < 1000; pass++) {
    const workloads = migratingAt(refs, restartedAt, rolloutMs, now);
    sim.last = decide({ workloads, previous, settings: s, now: new Date(now) });
    for (const ref of sim.last.restart) restartedAt.set(ref, now);
    sim.restarts.push(...sim.last.restart);
    sim.statuses.push(sim.last.status);
    if (workloads.length === 0) break;
    previous = sim.last.status;
    // A pass without a requeue still comes: the pods' own events trigger one.
    now += sim.last.requeueAfterMs ?? 1_000;
  }
  return sim;
}

const fleet = Array.from({ length: 10 }, (_, i) => `Deployment team-${String(i % 3)}/app-${String(i)}`);
const rollout = (ref: string): number => 1_000 + (ref.length % 4) * 1_500 + Number(ref.at(-1)) * 700;

describe('decideRestarts: a whole migration', () => {
  it('restarts 10 workloads in batches of 3, each once, never more than a batch in flight', () => {
    // GIVEN 10 workloads with different rollout times, batches of 3, maxUnavailable 0
    const sim = simulate(fleet, settings({ batchSize: 3 }), rollout);
    // THEN every workload was restarted exactly once, in order
    assert.deepEqual(sim.restarts, fleet);
    // AND no status ever shows more than 3 in flight, and every total is all 10
    for (const status of sim.statuses) {
      assert.ok((status.current ?? []).length <= 3, JSON.stringify(status));
      assert.equal(status.total, 10);
    }
    // AND the migration ends with all 10 done and nothing left to do
    assert.deepEqual(sim.last.status, {
      from,
      to,
      done: 10,
      total: 10,
      current: [],
      batchStarted: sim.statuses.at(-1)?.batchStarted,
    });
    assert.equal(sim.last.requeueAfterMs, undefined);
  });

  it('lets at most maxUnavailable of the previous batch overlap the next one', () => {
    const sim = simulate(fleet, settings({ batchSize: 3, maxUnavailable: 1 }), rollout);
    assert.deepEqual([...sim.restarts].sort(), [...fleet].sort());
    for (const status of sim.statuses) assert.ok((status.current ?? []).length <= 4, JSON.stringify(status));
    assert.equal(sim.last.status.done, 10);
  });

  it('spaces batches by pauseBetweenBatches', () => {
    const sim = simulate(fleet, settings({ batchSize: 4, pauseMs: 30_000 }), () => 2_000);
    assert.deepEqual(sim.restarts, fleet);
    const starts = [...new Set(sim.statuses.map((s) => s.batchStarted))].map((s) => Date.parse(s ?? ''));
    assert.equal(starts.length, 3);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 2_000 + 30_000);
  });
});

describe('decideRestarts: pause between batches', () => {
  const s = settings({ pauseMs: minute });
  const firstBatch = () => decide({ workloads: waiting(a, b, c, d), settings: s });

  it('starts the pause when a batch has rolled out, and restarts nothing meanwhile', () => {
    // GIVEN the batch a, b started at t0, both rolled out 10 s later
    const finished = after(firstBatch(), { workloads: waiting(c, d), settings: s, now: at(10_000) });
    // THEN nothing restarts, the next batch is due a minute from now, and the operator comes back then
    assert.deepEqual(finished.restart, []);
    assert.equal(finished.status.nextBatchAt, at(10_000 + minute).toISOString());
    assert.equal(finished.requeueAfterMs, minute);
    assert.equal(finished.status.done, 2);
    assert.deepEqual(finished.status.current, []);
  });

  it('waits out the rest of the pause, then starts the next batch and clears nextBatchAt', () => {
    const finished = after(firstBatch(), { workloads: waiting(c, d), settings: s, now: at(10_000) });
    // WHEN the operator comes back 30 s into the pause
    const during = after(finished, { workloads: waiting(c, d), settings: s, now: at(40_000) });
    // THEN it still waits, for the 30 s left, and keeps the same nextBatchAt
    assert.deepEqual(during.restart, []);
    assert.equal(during.requeueAfterMs, 30_000);
    assert.equal(during.status.nextBatchAt, finished.status.nextBatchAt);
    // WHEN the pause has passed
    const next = after(during, { workloads: waiting(c, d), settings: s, now: at(10_000 + minute) });
    // THEN the next batch starts and the pause is gone from the status
    assert.deepEqual(next.restart, [c, d]);
    assert.equal(next.status.nextBatchAt, undefined);
    assert.equal(next.status.batchStarted, at(10_000 + minute).toISOString());
    assert.equal(next.status.done, 2);
  });

  it('pauses again after the next batch', () => {
    const workloads = waiting(c, d, e);
    const finished = after(firstBatch(), { workloads, settings: s, now: at(10_000) });
    const second = after(finished, { workloads, settings: s, now: at(10_000 + minute) });
    assert.deepEqual(second.restart, [c, d]);
    const again = after(second, { workloads: waiting(e), settings: s, now: at(2 * minute) });
    assert.deepEqual(again.restart, []);
    assert.equal(again.status.nextBatchAt, at(3 * minute).toISOString());
  });

  it('starts the next batch at once without a pause', () => {
    const first = decide({ workloads: waiting(a, b, c, d) });
    const next = after(first, { workloads: waiting(c, d), now: at(10_000) });
    assert.deepEqual(next.restart, [c, d]);
    assert.equal(next.status.nextBatchAt, undefined);
  });

  it('does not pause after the last batch', () => {
    const first = decide({ workloads: waiting(a, b), settings: s });
    const done = after(first, { workloads: [], settings: s, now: at(10_000) });
    assert.equal(done.status.nextBatchAt, undefined);
    assert.equal(done.requeueAfterMs, undefined);
    assert.equal(done.status.done, 2);
  });

  it('after the pause, still waits for the window to open', () => {
    const ws = settings({ pauseMs: minute, window: restartWindow('10:00', '10:01') });
    const first = decide({ workloads: waiting(a, b, c), settings: ws, now: utc('10:00:00') });
    const paused = after(first, { workloads: waiting(c), settings: ws, now: utc('10:00:30') });
    assert.equal(paused.requeueAfterMs, minute);
    // WHEN the pause ends at 10:01:30, the window closed at 10:01
    const closed = after(paused, { workloads: waiting(c), settings: ws, now: utc('10:01:30') });
    assert.deepEqual(closed.restart, []);
    assert.equal(closed.requeueAfterMs, 24 * hour - 90_000);
  });

  it('pauses before the next batch even while stragglers of the last one may still roll out', () => {
    // GIVEN batches of 3, maxUnavailable 1, a one-minute pause; a and b rolled out, c still rolling
    const ps = settings({ batchSize: 3, maxUnavailable: 1, pauseMs: minute });
    const previous: MigrationStatus = {
      from,
      to,
      done: 0,
      total: 4,
      current: [a, b, c],
      batchStarted: t0.toISOString(),
    };
    const decision = decide({
      previous,
      workloads: [...rolling(c), ...waiting(d)],
      settings: ps,
      now: at(10_000),
    });
    // THEN the next batch waits for the pause, as pauseBetweenBatches promises
    assert.deepEqual(decision.restart, []);
    assert.equal(decision.status.nextBatchAt, at(10_000 + minute).toISOString());
  });
});

describe('decideRestarts: batch timeout', () => {
  const s = settings({ batchTimeoutMs: 10 * minute });
  const firstBatch = () => decide({ workloads: waiting(a, b, c), settings: s });

  it('waits up to batchTimeoutMs, then blocks on the first workload in flight and restarts nothing', () => {
    const first = firstBatch();
    const workloads = [...rolling(a, b), ...waiting(c)];
    // GIVEN the batch a, b still rolling out exactly batchTimeoutMs after it started: not late yet
    const onTime = after(first, { workloads, settings: s, now: at(10 * minute) });
    assert.equal(onTime.blockedBy, undefined);
    // WHEN one more millisecond passes
    const late = after(onTime, { workloads, settings: s, now: at(10 * minute + 1) });
    // THEN a blocks the migration, in the decision and in the status, and c is not restarted
    assert.equal(late.blockedBy, a);
    assert.equal(late.status.blockedBy, a);
    assert.deepEqual(late.restart, []);
    assert.deepEqual(late.status.current, [a, b]);
    assert.equal(late.status.total, 3);
  });

  it('names the first in-flight workload in the order the cluster lists them', () => {
    const late = after(firstBatch(), {
      workloads: [...waiting(c), ...rolling(b, a)],
      settings: s,
      now: at(hour),
    });
    assert.equal(late.blockedBy, b);
  });

  it('blocks even when maxUnavailable would let the next batch start', () => {
    const ms = settings({ maxUnavailable: 5 });
    const first = decide({ workloads: waiting(a, b, c), settings: ms });
    const late = after(first, { workloads: [...rolling(a), ...waiting(c)], settings: ms, now: at(hour) });
    assert.equal(late.blockedBy, a);
    assert.deepEqual(late.restart, []);
  });

  it('stays blocked on later passes while that workload is in flight', () => {
    const late = after(firstBatch(), {
      workloads: [...rolling(a, b), ...waiting(c)],
      settings: s,
      now: at(hour),
    });
    // WHEN b rolls out but a does not, and time goes on
    const later = after(late, { workloads: [...rolling(a), ...waiting(c)], settings: s, now: at(2 * hour) });
    // THEN it is still blocked by a, and restarts nothing
    assert.equal(later.blockedBy, a);
    assert.equal(later.status.blockedBy, a);
    assert.deepEqual(later.restart, []);
    assert.equal(later.status.done, 1);
    // AND the same holds for yet another pass with a larger batch timeout in the meantime
    const relaxed = settings({ batchTimeoutMs: 10 * hour });
    const again = after(later, {
      workloads: [...rolling(a), ...waiting(c)],
      settings: relaxed,
      now: at(3 * hour),
    });
    assert.equal(again.blockedBy, a);
  });

  it('unblocks when the blocking workload has rolled out, and goes on with the next batch', () => {
    const late = after(firstBatch(), {
      workloads: [...rolling(a), ...waiting(c)],
      settings: s,
      now: at(hour),
    });
    assert.equal(late.blockedBy, a);
    const unblocked = after(late, { workloads: waiting(c), settings: s, now: at(hour + 1_000) });
    assert.equal(unblocked.blockedBy, undefined);
    assert.equal(unblocked.status.blockedBy, undefined);
    assert.deepEqual(unblocked.restart, [c]);
    assert.equal(unblocked.status.done, 2);
    assert.equal(unblocked.status.batchStarted, at(hour + 1_000).toISOString());
  });

  it('measures the timeout from the start of the current batch, not of the migration', () => {
    const first = firstBatch();
    const second = after(first, { workloads: waiting(c), settings: s, now: at(9 * minute) });
    assert.deepEqual(second.restart, [c]);
    const later = after(second, { workloads: rolling(c), settings: s, now: at(15 * minute) });
    assert.equal(later.blockedBy, undefined);
  });

  it('times out workloads in flight even when no batch start was recorded', () => {
    // GIVEN a restarted for `to` but no status recorded for it (killed before the status write, or status lost)
    const first = decide({ workloads: rolling(a), settings: s });
    // WHEN it is still rolling out hours of passes later, each fed the status of the last
    let decision = first;
    for (let m = 1; m <= 120; m++)
      decision = after(decision, { workloads: rolling(a), settings: s, now: at(m * minute) });
    // THEN it has blocked the migration by now
    assert.equal(decision.blockedBy, a);
  });

  it('does not time out a workload by the start of an earlier batch', () => {
    // GIVEN the last recorded batch started an hour ago and rolled out; c was restarted just now, but the
    // operator died before writing the status that says so
    const previous: MigrationStatus = {
      from,
      to,
      done: 2,
      total: 3,
      current: [],
      batchStarted: at(-hour).toISOString(),
    };
    const decision = decide({ previous, workloads: rolling(c), settings: s });
    // THEN c is given its batch timeout, not declared late at once
    assert.equal(decision.blockedBy, undefined);
  });
});

describe('decideRestarts: restart window', () => {
  const s = settings({ window: restartWindow('22:00', '06:00') });

  it('starts nothing outside the window and comes back when it opens', () => {
    const decision = decide({ workloads: waiting(a, b), settings: s, now: utc('21:30:00') });
    assert.deepEqual(decision.restart, []);
    assert.equal(decision.requeueAfterMs, 30 * minute);
    assert.deepEqual(decision.status, { from, to, done: 0, total: 2, current: [] });
  });

  it('starts batches inside a window that spans midnight, on both sides of it', () => {
    assert.deepEqual(decide({ workloads: waiting(a), settings: s, now: utc('22:00:00') }).restart, [a]);
    assert.deepEqual(decide({ workloads: waiting(a), settings: s, now: utc('23:59:59') }).restart, [a]);
    assert.deepEqual(decide({ workloads: waiting(a), settings: s, now: utc('00:00:00') }).restart, [a]);
    assert.deepEqual(decide({ workloads: waiting(a), settings: s, now: utc('05:59:59.999') }).restart, [a]);
  });

  it('closes at its end, until the next opening', () => {
    const decision = decide({ workloads: waiting(a), settings: s, now: utc('06:00:00') });
    assert.deepEqual(decision.restart, []);
    assert.equal(decision.requeueAfterMs, 16 * hour);
  });

  it('lets a batch started inside the window finish after it closes, without blocking', () => {
    const first = decide({ workloads: waiting(a, b, c), settings: s, now: utc('05:59:00') });
    assert.deepEqual(first.restart, [a, b]);
    const rollingOn = after(first, {
      workloads: [...rolling(b), ...waiting(c)],
      settings: s,
      now: utc('06:01:00'),
    });
    assert.equal(rollingOn.blockedBy, undefined);
    assert.equal(rollingOn.status.done, 1);
    const closed = after(rollingOn, { workloads: waiting(c), settings: s, now: utc('06:02:00') });
    assert.deepEqual(closed.restart, []);
    assert.equal(closed.requeueAfterMs, 16 * hour - 2 * minute);
  });

  it('asks for no requeue when the window is closed but nothing is left to do', () => {
    const decision = decide({ workloads: [], settings: s, now: utc('12:00:00') });
    assert.equal(decision.requeueAfterMs, undefined);
  });
});

describe('untilWindowOpens', () => {
  it('is 0 without a window', () => {
    assert.equal(untilWindowOpens(undefined, utc('12:34:56')), 0);
  });

  it('is 0 inside [start, end) and counts to the next opening outside, to the millisecond', () => {
    const w = restartWindow('02:00', '04:00');
    assert.equal(untilWindowOpens(w, utc('02:00:00')), 0);
    assert.equal(untilWindowOpens(w, utc('03:59:59.999')), 0);
    assert.equal(untilWindowOpens(w, utc('01:58:30.500')), 89_500);
    assert.equal(untilWindowOpens(w, utc('01:59:59.999')), 1);
    assert.equal(untilWindowOpens(w, utc('04:00:00')), 22 * hour);
    assert.equal(untilWindowOpens(w, utc('23:00:00')), 3 * hour);
  });

  it('wraps past midnight when start is after end', () => {
    const w = restartWindow('23:00', '01:00');
    assert.equal(untilWindowOpens(w, utc('23:30:00')), 0);
    assert.equal(untilWindowOpens(w, utc('00:59:59.999')), 0);
    assert.equal(untilWindowOpens(w, utc('01:00:00')), 22 * hour);
    assert.equal(untilWindowOpens(w, utc('22:59:59')), 1_000);
  });

  it('reads the time in UTC, whatever the date', () => {
    const w = restartWindow('02:00', '04:00');
    assert.equal(untilWindowOpens(w, new Date('2030-12-31T01:00:00+00:00')), hour);
    assert.equal(untilWindowOpens(w, new Date('2030-12-31T03:00:00+02:00')), hour);
  });

  it('never returns a negative wait', () => {
    assert.ok(untilWindowOpens(restartWindow('02:00', '02:00'), utc('02:00:30')) >= 0);
  });
});

describe('parseDuration', () => {
  it('reads Go durations in milliseconds', () => {
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1h2m3s4ms'), 3_723_004);
    assert.equal(parseDuration('1.5s'), 1_500);
    assert.equal(parseDuration('0s'), 0);
  });

  it('is 0 when unset', () => {
    assert.equal(parseDuration(undefined), 0);
    assert.equal(parseDuration(''), 0);
  });
});

describe('clockMinutes', () => {
  it('reads HH:MM as minutes after midnight', () => {
    assert.equal(clockMinutes('00:00'), 0);
    assert.equal(clockMinutes('07:05'), 425);
    assert.equal(clockMinutes('09:30'), 570);
    assert.equal(clockMinutes('23:59'), 1439);
  });
});
