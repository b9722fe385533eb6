// The work queue's contract, after client-go's util/workqueue: fair, stingy, re-add while processing, clean
// shutdown and drain, delayed adds where the earliest wins, rate-limited retries, and the workqueue_* metrics.
// Time is a FakeClock; "has not resolved" is checked after the event loop has run everything it could.
import assert from 'node:assert/strict';
import { setImmediate as flushed } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { createMetrics } from '../../../src/runtime/metrics.ts';
import { ExponentialFailureRateLimiter } from '../../../src/runtime/rate-limiters.ts';
import { WorkQueue } from '../../../src/runtime/work-queue.ts';
import type { QueueItem } from '../../../src/runtime/work-queue.ts';

function queue(clock = new FakeClock()): WorkQueue {
  return new WorkQueue({ clock });
}

/** A pending promise whose outcome can be read synchronously once the event loop has had its turn. */
function watch<T>(promise: Promise<T>): { readonly value: T | undefined; readonly settled: boolean } {
  const state: { value: T | undefined; settled: boolean } = { value: undefined, settled: false };
  void promise.then((v) => {
    state.value = v;
    state.settled = true;
  });
  return state;
}

/** Takes every queued key, in order, marking each done. */
async function drainKeys(q: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (q.len() > 0) {
    const { key, shutdown } = await q.get();
    if (shutdown) break;
    keys.push(key);
    q.done(key);
  }
  return keys;
}

async function key(q: WorkQueue): Promise<string> {
  const item = await q.get();
  assert.equal(item.shutdown, false, 'expected a key, got shutdown');
  return item.key;
}

const shutdown: QueueItem = { key: undefined, shutdown: true };

describe('WorkQueue: fair', () => {
  it('hands out keys in the order they were first added', async () => {
    // GIVEN keys added c, a, b
    const q = queue();
    for (const k of ['c', 'a', 'b']) q.add(k);
    // THEN workers get them in that order
    assert.deepEqual(await drainKeys(q), ['c', 'a', 'b']);
  });

  it('keeps a queued key in its place when it is added again', async () => {
    // GIVEN a, b queued
    const q = queue();
    q.add('a');
    q.add('b');
    // WHEN a is added again
    q.add('a');
    // THEN it neither moves to the back nor appears twice
    assert.deepEqual(await drainKeys(q), ['a', 'b']);
  });

  it('serves blocked workers in the order they asked', async () => {
    // GIVEN three workers waiting on an empty queue
    const q = queue();
    const [w1, w2, w3] = [watch(q.get()), watch(q.get()), watch(q.get())];
    await flushed();
    assert.equal(w1.settled || w2.settled || w3.settled, false);
    // WHEN two keys arrive
    q.add('x');
    q.add('y');
    await flushed();
    // THEN the first two workers get them, in order, and the third still waits
    assert.deepEqual(w1.value, { key: 'x', shutdown: false });
    assert.deepEqual(w2.value, { key: 'y', shutdown: false });
    assert.equal(w3.settled, false);
    q.shutDown();
  });
});

describe('WorkQueue: stingy', () => {
  it('processes a key added many times before a worker takes it once', async () => {
    // GIVEN a key added five times
    const q = queue();
    for (let i = 0; i < 5; i++) q.add('a');
    // THEN it is queued once and handed out once
    assert.equal(q.len(), 1);
    assert.equal(await key(q), 'a');
    assert.equal(q.len(), 0);
    q.done('a');
    assert.equal(q.len(), 0);
  });

  it('never hands a key to a second worker while the first still holds it', async () => {
    // GIVEN worker 1 holding "a"
    const q = queue();
    q.add('a');
    assert.equal(await key(q), 'a');
    // WHEN "a" is added again and worker 2 asks for work
    q.add('a');
    const w2 = watch(q.get());
    await flushed();
    // THEN worker 2 waits, and "a" is not counted as queued
    assert.equal(w2.settled, false);
    assert.equal(q.len(), 0);
    // AND once worker 1 is done, worker 2 gets "a"
    q.done('a');
    await flushed();
    assert.deepEqual(w2.value, { key: 'a', shutdown: false });
  });

  it('lets other keys through while one is held', async () => {
    // GIVEN a worker holding "a", which is added again
    const q = queue();
    q.add('a');
    await key(q);
    q.add('a');
    // WHEN "b" is added
    q.add('b');
    // THEN another worker gets "b" straight away
    assert.equal(await key(q), 'b');
  });
});

describe('WorkQueue: re-add while processing', () => {
  it('processes the key again after done, once however often it was re-added', async () => {
    // GIVEN a worker holding "a"
    const q = queue();
    q.add('a');
    await key(q);
    // WHEN "a" is added three times during processing and the worker finishes
    for (let i = 0; i < 3; i++) q.add('a');
    q.done('a');
    // THEN "a" is queued exactly once more
    assert.equal(q.len(), 1);
    assert.deepEqual(await drainKeys(q), ['a']);
    assert.equal(q.len(), 0);
  });

  it('puts the re-added key behind the keys that were waiting', async () => {
    // GIVEN a, b queued and a worker holding "a"
    const q = queue();
    q.add('a');
    q.add('b');
    await key(q);
    // WHEN "a" is re-added and done
    q.add('a');
    q.done('a');
    // THEN "b" comes first
    assert.deepEqual(await drainKeys(q), ['b', 'a']);
  });

  it('does not queue a key twice when done is called twice', async () => {
    // GIVEN a worker holding "a", re-added meanwhile
    const q = queue();
    q.add('a');
    await key(q);
    q.add('a');
    // WHEN done is called twice (a bug in the caller), and for a key never handed out
    q.done('a');
    q.done('a');
    q.done('never-taken');
    // THEN "a" is queued once
    assert.equal(q.len(), 1);
    assert.deepEqual(await drainKeys(q), ['a']);
  });

  it('forgets a key that was processed and not re-added', async () => {
    // GIVEN "a" processed and done
    const q = queue();
    q.add('a');
    q.done(await key(q));
    // WHEN it is added again later
    q.add('a');
    // THEN it is queued normally
    assert.equal(q.len(), 1);
  });
});

describe('WorkQueue: shutdown', () => {
  it('wakes every blocked worker with shutdown', async () => {
    // GIVEN two workers waiting on an empty queue
    const q = queue();
    const [w1, w2] = [watch(q.get()), watch(q.get())];
    // WHEN the queue shuts down
    q.shutDown();
    await flushed();
    // THEN both learn of it
    assert.deepEqual(w1.value, shutdown);
    assert.deepEqual(w2.value, shutdown);
    assert.equal(q.shuttingDown(), true);
  });

  it('ignores adds after shutdown, and answers get with shutdown at once', async () => {
    // GIVEN a shut-down queue
    const q = queue();
    q.shutDown();
    // WHEN a key is added
    q.add('a');
    // THEN nothing is queued and get reports shutdown
    assert.equal(q.len(), 0);
    assert.deepEqual(await q.get(), shutdown);
  });

  it('still hands out keys queued before shutdown, then reports shutdown (as client-go)', async () => {
    // GIVEN a, b queued
    const q = queue();
    q.add('a');
    q.add('b');
    // WHEN the queue shuts down
    q.shutDown();
    // THEN workers get a, b, then shutdown
    assert.equal(await key(q), 'a');
    assert.equal(await key(q), 'b');
    assert.deepEqual(await q.get(), shutdown);
  });

  it('requeues a key re-added before shutdown when its worker finishes', async () => {
    // GIVEN a worker holding "a", which was re-added, then the queue shuts down
    const q = queue();
    q.add('a');
    await key(q);
    q.add('a');
    q.shutDown();
    // WHEN the worker finishes
    q.done('a');
    // THEN the pending re-add is honoured once more, then shutdown
    assert.equal(await key(q), 'a');
    assert.deepEqual(await q.get(), shutdown);
  });

  it('can be shut down twice', () => {
    const q = queue();
    q.shutDown();
    q.shutDown();
    assert.equal(q.shuttingDown(), true);
  });
});

describe('WorkQueue: shutdown with drain', () => {
  it('returns at once when no key is being processed', async () => {
    const q = queue();
    q.add('queued-not-taken');
    await q.shutDownWithDrain();
    assert.equal(q.shuttingDown(), true);
  });

  it('waits until every key handed out is done', async () => {
    // GIVEN two workers holding a and b
    const q = queue();
    q.add('a');
    q.add('b');
    await key(q);
    await key(q);
    // WHEN the queue drains
    const drain = watch(q.shutDownWithDrain());
    await flushed();
    // THEN it stops accepting adds, and waits for both
    assert.equal(q.shuttingDown(), true);
    q.add('c');
    assert.equal(q.len(), 0);
    q.done('a');
    await flushed();
    assert.equal(drain.settled, false);
    q.done('b');
    await flushed();
    assert.equal(drain.settled, true);
  });

  it('wakes blocked workers while it waits', async () => {
    // GIVEN one worker holding "a" and another blocked on an empty queue
    const q = queue();
    q.add('a');
    await key(q);
    const idle = watch(q.get());
    // WHEN the queue drains
    const drain = watch(q.shutDownWithDrain());
    await flushed();
    // THEN the idle worker is told to stop at once, and the drain waits for "a"
    assert.deepEqual(idle.value, shutdown);
    assert.equal(drain.settled, false);
    q.done('a');
    await flushed();
    assert.equal(drain.settled, true);
  });

  it('is cut short by a plain shutDown', async () => {
    // GIVEN a drain waiting on a key that is never done
    const q = queue();
    q.add('a');
    await key(q);
    const drain = watch(q.shutDownWithDrain());
    // WHEN the queue is shut down without drain
    q.shutDown();
    await flushed();
    // THEN the drain ends
    assert.equal(drain.settled, true);
  });
});

describe('WorkQueue: addAfter', () => {
  it('adds the key once its delay has passed, not before', () => {
    // GIVEN "a" to be added in 100 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 100);
    // THEN it is not queued at 99 ms, and is at 100 ms
    clock.advance(99);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
  });

  it('adds at once for a delay of zero or less', () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    assert.equal(q.len(), 2);
    assert.equal(clock.pending(), 0);
  });

  it('keeps the earlier due time when a later one is asked for', async () => {
    // GIVEN "a" due in 50 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 50);
    // WHEN "a" is asked for again in 100 ms
    q.addAfter('a', 100);
    // THEN it is added at 50 ms, and nothing more is scheduled
    clock.advance(50);
    assert.equal(q.len(), 1);
    assert.equal(clock.pending(), 0);
    assert.deepEqual(await drainKeys(q), ['a']);
    clock.advance(1_000);
    assert.equal(q.len(), 0);
  });

  it('moves the due time earlier when an earlier one is asked for', () => {
    // GIVEN "a" due in 100 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 100);
    // WHEN 40 ms later "a" is asked for in 20 ms (due at 60 ms)
    clock.advance(40);
    q.addAfter('a', 20);
    // THEN it is added at 60 ms, and the old 100 ms timer is gone
    clock.advance(19);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(clock.pending(), 0);
  });

  it('queues delayed keys in the order they come due', async () => {
    // GIVEN b due at 30 ms, a at 10 ms, c at 20 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('b', 30);
    q.addAfter('a', 10);
    q.addAfter('c', 20);
    // WHEN all come due
    clock.advance(30);
    // THEN they are queued by due time
    assert.deepEqual(await drainKeys(q), ['a', 'c', 'b']);
  });

  it('wakes a blocked worker when a delayed key comes due', async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    const worker = watch(q.get());
    q.addAfter('a', 10);
    clock.advance(10);
    await flushed();
    assert.deepEqual(worker.value, { key: 'a', shutdown: false });
  });

  it('dedups a delayed key that comes due while it is already queued', async () => {
    // GIVEN "a" queued now and also due in 10 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.add('a');
    q.addAfter('a', 10);
    // WHEN it comes due before a worker took it
    clock.advance(10);
    // THEN it is still queued once
    assert.deepEqual(await drainKeys(q), ['a']);
  });

  it('still adds a delayed key that was processed meanwhile (a plain add does not cancel it, as client-go)', async () => {
    // GIVEN "a" due in 100 ms, then added and processed right away
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 100);
    q.add('a');
    assert.deepEqual(await drainKeys(q), ['a']);
    // WHEN 100 ms pass
    clock.advance(100);
    // THEN "a" is queued again
    assert.deepEqual(await drainKeys(q), ['a']);
  });

  it('drops delayed keys on shutdown and ignores new ones', () => {
    // GIVEN "a" due in 10 ms
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter('a', 10);
    // WHEN the queue shuts down and "b" is asked for later
    q.shutDown();
    q.addAfter('b', 10);
    // THEN no timer is left, and nothing is ever queued
    assert.equal(clock.pending(), 0);
    clock.advance(100);
    assert.equal(q.len(), 0);
  });
});

describe('WorkQueue: rate-limited adds', () => {
  it('delays each retry of a failing key by its growing backoff, until forgotten', async () => {
    // GIVEN a queue whose limiter backs off from 10 ms
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, rateLimiter: new ExponentialFailureRateLimiter(10, 1_000) });
    // WHEN "a" fails twice
    q.addRateLimited('a');
    clock.advance(9);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.deepEqual(await drainKeys(q), ['a']);
    q.addRateLimited('a');
    // THEN the second retry waits 20 ms, and two requeues are counted
    clock.advance(19);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(q.numRequeues('a'), 2);
    // AND after success the next failure waits the base delay again
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
    assert.deepEqual(await drainKeys(q), ['a']);
    q.addRateLimited('a');
    clock.advance(10);
    assert.equal(q.len(), 1);
  });

  it("uses client-go's default controller rate limiter when none is given", () => {
    // GIVEN a queue with default options on a fake clock
    const clock = new FakeClock();
    const q = queue(clock);
    // WHEN "a" fails
    q.addRateLimited('a');
    // THEN it is retried after the 5 ms base delay
    clock.advance(4);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(q.numRequeues('a'), 1);
  });

  it('forget does not take a queued key out of the queue', () => {
    const q = queue();
    q.add('a');
    q.forget('a');
    assert.equal(q.len(), 1);
  });
});

/** The value of one sample line of the exposition, e.g. `workqueue_depth{name="q"}`. */
async function sample(body: Promise<{ body: string }>, series: string): Promise<number | undefined> {
  const line = (await body).body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('WorkQueue: metrics', () => {
  it('feeds the workqueue_* metrics at client-go points', async () => {
    // GIVEN a queue wired to the manager's metrics, both on one fake clock
    const clock = new FakeClock(1_000_000);
    const metrics = createMetrics({ clock });
    const q = new WorkQueue({ clock, metrics: metrics.workQueue('q') });
    const m = (series: string) => sample(metrics.expose(), `${series}{name="q"}`);

    // WHEN "a" is added three times and "b" once
    for (const k of ['a', 'a', 'b', 'a']) q.add(k);
    // THEN depth and adds count distinct keys entering the queue
    assert.equal(await m('workqueue_depth'), 2);
    assert.equal(await m('workqueue_adds_total'), 2);

    // WHEN "a" waits 2 s, then is worked on for 3 s, and re-added meanwhile
    clock.advance(2_000);
    await key(q);
    q.add('a');
    clock.advance(3_000);
    // THEN depth drops, time in queue is observed, and the running work shows as unfinished
    assert.equal(await m('workqueue_depth'), 1);
    assert.equal(await m('workqueue_queue_duration_seconds_sum'), 2);
    assert.equal(await m('workqueue_unfinished_work_seconds'), 3);
    assert.equal(await m('workqueue_longest_running_processor_seconds'), 3);

    // WHEN the worker finishes (re-queueing "a") and a delayed retry of "c" is asked for
    q.done('a');
    q.addRateLimited('c');
    // THEN work time is observed, the re-queue counts as an add, and the retry is counted
    assert.equal(await m('workqueue_work_duration_seconds_sum'), 3);
    assert.equal(await m('workqueue_unfinished_work_seconds'), 0);
    assert.equal(await m('workqueue_depth'), 2);
    assert.equal(await m('workqueue_adds_total'), 3);
    assert.equal(await m('workqueue_retries_total'), 1);
    q.shutDown();
  });
});
