// The idle memory reclaimer: when it collects (only over an idle interval, after growth or when asked), and that
// the collection it uses really gives V8's pooled pages back to the system where a plain one does not (a child
// Node process started with --expose-gc, measured from /proc).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { setImmediate as flushed } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { IdleMemoryReclaimer } from '../../../src/runtime/idle-memory.ts';
import { operatorNodeFlags } from '../../../src/operator/node-flags.ts';

const mib = 1024 * 1024;

interface Rig {
  clock: FakeClock;
  collections: number;
  resident: number;
  busy: number;
  reclaimer: IdleMemoryReclaimer;
  /** Moves one interval on and lets the reclaimer look. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

function rig(): Rig {
  const clock = new FakeClock();
  const abort = new AbortController();
  const state = {
    clock,
    collections: 0,
    resident: 100 * mib,
    busy: 0,
  };
  const reclaimer = new IdleMemoryReclaimer({
    clock,
    intervalMs: 1_000,
    growthBytes: 16 * mib,
    idleUtilization: 0.1,
    residentBytes: () => state.resident,
    utilization: () => state.busy,
    collect: () => {
      state.collections++;
      state.resident = 80 * mib;
    },
  });
  const running = reclaimer.start(abort.signal);
  return Object.assign(state, {
    reclaimer,
    async tick() {
      await flushed();
      clock.advance(1_000);
      await flushed();
    },
    async stop() {
      abort.abort();
      await running;
    },
  });
}

describe('IdleMemoryReclaimer', () => {
  it('collects once memory has grown and the loop was idle for two whole intervals, then not again', async () => {
    const r = rig();
    await r.tick();
    await r.tick();
    assert.equal(r.collections, 0, 'no growth since the start: nothing to win');
    r.resident = 130 * mib;
    r.busy = 0.6;
    await r.tick();
    assert.equal(r.collections, 0, 'a busy interval is never interrupted');
    r.busy = 0.02;
    await r.tick();
    assert.equal(r.collections, 0, 'one quiet interval may be the lull before a burst');
    await r.tick();
    assert.equal(r.collections, 1);
    await r.tick();
    await r.tick();
    assert.equal(r.collections, 1, 'converged: no growth since the collection, no further one');
    await r.stop();
  });

  it('measures growth from the lowest memory seen, so memory that fell on its own does not hide growth', async () => {
    const r = rig();
    r.resident = 60 * mib;
    await r.tick();
    r.resident = 80 * mib;
    await r.tick();
    assert.equal(r.collections, 1, '20 MiB above the lowest reading, after two quiet intervals');
    await r.stop();
  });

  it('collects at the next idle interval when asked, without growth (a worker thread let go)', async () => {
    const r = rig();
    r.busy = 0.5;
    r.reclaimer.reclaimSoon();
    await r.tick();
    assert.equal(r.collections, 0);
    r.busy = 0;
    await r.tick();
    await r.tick();
    assert.equal(r.collections, 1);
    await r.tick();
    assert.equal(r.collections, 1, 'one request, one collection');
    await r.stop();
  });

  it('does nothing without a collection to call (a process started without --expose-gc)', async () => {
    const reclaimer = new IdleMemoryReclaimer({ collect: undefined, clock: new FakeClock() });
    // Returns at once instead of looping: nothing to wait for.
    await reclaimer.start(new AbortController().signal);
  });

  it("gives V8's pooled pages back, where a plain full collection keeps them resident", () => {
    // A child with the operator's own V8 flags: it fills ~200 MB of heap, drops it, collects one way, and prints
    // its resident MiB before and after.
    const child = (flavor: string): { before: number; after: number } => {
      const script = `
        const rss = () => process.memoryUsage.rss() / ${String(mib)};
        let keep = [];
        for (let i = 0; i < 1_500_000; i++) keep.push({ a: i, b: 'x' + i, c: [i] });
        keep = null;
        const before = rss();
        globalThis.gc({ type: 'major', execution: 'sync', flavor: '${flavor}' });
        console.log(JSON.stringify({ before, after: rss() }));`;
      const out = execFileSync(process.execPath, [...operatorNodeFlags, '-e', script], { encoding: 'utf8' });
      return JSON.parse(out) as { before: number; after: number };
    };
    const regular = child('regular');
    const lastResort = child('last-resort');
    assert.ok(
      regular.after > regular.before - 64,
      `a regular collection keeps the pages: ${JSON.stringify(regular)}`,
    );
    assert.ok(
      lastResort.after < lastResort.before - 100,
      `the last-resort collection gives 100 MiB or more back: ${JSON.stringify(lastResort)}`,
    );
  });
});
