// The controller loop over the work queue: bursts of events for one key reconcile once, failures come back with
// backoff, requeue-after is honoured, and stop drains.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { Controller } from '../../../src/runtime/controller.ts';

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function settleMany(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await settle();
}

describe('Controller', () => {
  it('reconciles a burst of events for one key once', async () => {
    // GIVEN a controller whose reconcile counts calls
    const calls: string[] = [];
    const clock = new FakeClock();
    const c = new Controller({
      name: 't',
      clock,
      reconcile: (key) => (calls.push(key), Promise.resolve({})),
    });
    // WHEN the same key is enqueued many times before a worker picks it up
    for (let i = 0; i < 10; i++) c.enqueue('mesh-a');
    const stop = new AbortController();
    const running = c.start(stop.signal);
    await settleMany();
    stop.abort();
    await running;
    // THEN it was reconciled once
    assert.deepEqual(calls, ['mesh-a']);
  });

  it('retries a failing key with growing delays and forgets after success', async () => {
    const clock = new FakeClock();
    let failures = 2;
    const times: number[] = [];
    const c = new Controller({
      name: 't',
      clock,
      reconcile: () => {
        times.push(clock.now());
        if (failures-- > 0) return Promise.reject(new Error('boom'));
        return Promise.resolve({});
      },
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('k');
    await settleMany();
    clock.advance(5);
    await settleMany();
    clock.advance(10);
    await settleMany();
    assert.deepEqual(times, [0, 5, 15]);
    assert.equal(c.queue.numRequeues('k'), 0);
    stop.abort();
    await running;
  });

  it('looks again after the requested delay', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const c = new Controller({
      name: 't',
      clock,
      reconcile: () => Promise.resolve(++calls === 1 ? { requeueAfterMs: 1000 } : {}),
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    c.enqueue('k');
    await settleMany();
    clock.advance(999);
    await settleMany();
    assert.equal(calls, 1);
    clock.advance(1);
    await settleMany();
    assert.equal(calls, 2);
    stop.abort();
    await running;
  });

  it('re-enqueues every known key at each resync', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const c = new Controller({
      name: 't',
      clock,
      keys: () => ['a', 'b'],
      resyncMs: 60_000,
      reconcile: (key) => (calls.push(key), Promise.resolve({})),
    });
    const stop = new AbortController();
    const running = c.start(stop.signal);
    await settleMany();
    clock.advance(60_000);
    await settleMany();
    assert.deepEqual(calls, ['a', 'b', 'a', 'b']);
    stop.abort();
    await running;
  });
});
