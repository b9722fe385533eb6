// Retry delays as client-go's default rate limiters compute them: per-key exponential backoff, a global token
// bucket that goes into debt, and the max of the two. Time is a FakeClock; nothing here sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import {
  BucketRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  defaultRateLimits,
} from '../../../src/runtime/rate-limiters.ts';
import type { RateLimiter } from '../../../src/runtime/rate-limiters.ts';

/** The delays of `n` successive `when(key)` calls. */
function delays(limiter: RateLimiter, key: string, n: number): number[] {
  return Array.from({ length: n }, () => limiter.when(key));
}

describe('ExponentialFailureRateLimiter', () => {
  it('doubles the delay on every failure of a key, starting at the base', () => {
    // GIVEN a 5 ms base and a generous cap
    const limiter = new ExponentialFailureRateLimiter(5, 1_000_000);
    // WHEN one key fails six times
    // THEN each retry waits twice as long as the one before
    assert.deepEqual(delays(limiter, 'a', 6), [5, 10, 20, 40, 80, 160]);
    assert.equal(limiter.numRequeues('a'), 6);
  });

  it('never waits longer than the cap', () => {
    // GIVEN a 10 ms base capped at 100 ms
    const limiter = new ExponentialFailureRateLimiter(10, 100);
    // WHEN the key keeps failing
    // THEN the delay stops growing at the cap
    assert.deepEqual(delays(limiter, 'a', 6), [10, 20, 40, 80, 100, 100]);
  });

  it('stays at the cap however many times a key fails (no overflow to Infinity or NaN)', () => {
    // GIVEN controller-runtime's 1000 s cap
    const limiter = new ExponentialFailureRateLimiter(5, 1_000_000);
    // WHEN a key fails far more often than 2 ** n can represent
    const all = delays(limiter, 'a', 2_000);
    // THEN the cap is reached at the 19th failure (5 ms × 2^18 > 1000 s) and held from then on
    assert.equal(all[17], 5 * 2 ** 17);
    assert.ok(all.slice(18).every((d) => d === 1_000_000));
    assert.equal(limiter.numRequeues('a'), 2_000);
  });

  it('backs off each key on its own', () => {
    // GIVEN key "a" that has failed three times
    const limiter = new ExponentialFailureRateLimiter(5, 1_000_000);
    delays(limiter, 'a', 3);
    // WHEN "b" fails for the first time
    // THEN "b" starts from the base delay, and "a" carries on from where it was
    assert.equal(limiter.when('b'), 5);
    assert.equal(limiter.when('a'), 40);
    assert.equal(limiter.numRequeues('b'), 1);
    assert.equal(limiter.numRequeues('never-failed'), 0);
  });

  it('starts a forgotten key over from the base delay, leaving other keys alone', () => {
    // GIVEN two keys that have failed several times
    const limiter = new ExponentialFailureRateLimiter(5, 1_000_000);
    delays(limiter, 'a', 4);
    delays(limiter, 'b', 2);
    // WHEN "a" succeeds and is forgotten
    limiter.forget('a');
    // THEN "a" has no requeues and its next failure waits the base delay; "b" still backs off
    assert.equal(limiter.numRequeues('a'), 0);
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('b'), 20);
  });

  it('rejects negative delays', () => {
    assert.throws(() => new ExponentialFailureRateLimiter(-1, 10), /delays must be >= 0/);
    assert.throws(() => new ExponentialFailureRateLimiter(1, Number.NaN), /delays must be >= 0/);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a full burst through at once, then spaces requests by 1/qps', () => {
    // GIVEN a bucket of 100 tokens refilled at 10 per second, and a clock that does not move
    const clock = new FakeClock(1_000);
    const limiter: RateLimiter = new BucketRateLimiter(10, 100, clock);
    // WHEN 103 requests arrive in the same instant
    const all = delays(limiter, 'a', 103);
    // THEN the first 100 pass without waiting, and each later one waits 100 ms longer than the one before
    assert.ok(all.slice(0, 100).every((d) => d === 0));
    assert.deepEqual(all.slice(100), [100, 200, 300]);
  });

  it('refills with time, paying off its debt before lending again', () => {
    // GIVEN a bucket of 2 tokens at 10 qps, emptied and 3 tokens in debt (the last reservation waits 300 ms)
    const clock = new FakeClock();
    const limiter: RateLimiter = new BucketRateLimiter(10, 2, clock);
    assert.deepEqual(delays(limiter, 'a', 5), [0, 0, 100, 200, 300]);
    // WHEN 250 ms pass (2.5 tokens arrive: half a token still owed)
    clock.advance(250);
    // THEN the next request waits for the owed half token plus its own: 150 ms
    assert.equal(limiter.when('a'), 150);
  });

  it('never delays requests that arrive at exactly the refill rate', () => {
    // GIVEN an exhausted bucket at 10 qps
    const clock = new FakeClock();
    const limiter: RateLimiter = new BucketRateLimiter(10, 1, clock);
    assert.equal(limiter.when('a'), 0);
    // WHEN a request arrives every 100 ms
    // THEN none of them waits: each finds exactly the token that arrived since the last
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      assert.equal(limiter.when('a'), 0);
    }
    // AND one arriving early waits for the rest of its interval
    clock.advance(40);
    assert.equal(limiter.when('a'), 60);
  });

  it('never holds more than the burst, however long it idles', () => {
    // GIVEN a bucket of 3 at 10 qps, idle for an hour
    const clock = new FakeClock();
    const limiter: RateLimiter = new BucketRateLimiter(10, 3, clock);
    clock.advance(3_600_000);
    // WHEN a burst arrives
    // THEN only 3 pass at once
    assert.deepEqual(delays(limiter, 'a', 5), [0, 0, 0, 100, 200]);
  });

  it('is shared by all keys: forgetting a key returns no tokens and counts no requeues', () => {
    // GIVEN a bucket of 2 spent by two different keys
    const clock = new FakeClock();
    const limiter: RateLimiter = new BucketRateLimiter(10, 2, clock);
    limiter.when('a');
    limiter.when('b');
    // WHEN one of them is forgotten
    limiter.forget('a');
    // THEN a third key still waits, and no key reports requeues
    assert.equal(limiter.when('c'), 100);
    assert.equal(limiter.numRequeues('a'), 0);
  });

  it('refills nothing when the clock steps back, and refills from the new reading on', () => {
    // GIVEN an empty bucket of 1 at 10 qps, on a clock we can set to any reading
    let now = 10_000;
    const clock = { now: () => now, after: () => () => undefined };
    const limiter: RateLimiter = new BucketRateLimiter(10, 1, clock);
    assert.equal(limiter.when('a'), 0);
    // WHEN the clock steps back 5 s
    now = 5_000;
    // THEN the next request waits as if no time had passed
    assert.equal(limiter.when('a'), 100);
    // AND 100 ms after the new reading one token has arrived, paying the debt: the next waits one interval
    now = 5_100;
    assert.equal(limiter.when('a'), 100);
  });

  it('rejects a bucket that could never hand out a token', () => {
    const clock = new FakeClock();
    assert.throws(() => new BucketRateLimiter(0, 10, clock), /qps > 0 and burst >= 1/);
    assert.throws(() => new BucketRateLimiter(10, 0, clock), /qps > 0 and burst >= 1/);
  });
});

describe('MaxOfRateLimiter', () => {
  it('waits as long as the slowest of its limiters', () => {
    // GIVEN per-key backoff from 5 ms and a bucket of 2 at 10 qps
    const clock = new FakeClock();
    const limiter = new MaxOfRateLimiter(
      new ExponentialFailureRateLimiter(5, 1_000_000),
      new BucketRateLimiter(10, 2, clock),
    );
    // WHEN one key fails four times in one instant
    // THEN the bucket decides once it is empty (100, 200), the backoff when it has grown past it
    assert.deepEqual(delays(limiter, 'a', 4), [5, 10, 100, 200]);
    clock.advance(10_000);
    assert.equal(limiter.when('a'), 80);
  });

  it('counts every failure in every limiter, even those whose delay lost', () => {
    // GIVEN a bucket of 1 behind a backoff whose delays always win
    const clock = new FakeClock();
    const bucket: RateLimiter = new BucketRateLimiter(10, 1, clock);
    const limiter = new MaxOfRateLimiter(new ExponentialFailureRateLimiter(1_000, 1_000_000), bucket);
    // WHEN two failures happen in one instant
    assert.deepEqual(delays(limiter, 'a', 2), [1_000, 2_000]);
    // THEN the bucket spent a token on each: it is one token in debt, so the next request waits for two
    assert.equal(bucket.when('b'), 200);
    assert.equal(limiter.numRequeues('a'), 2);
  });

  it('forgets in every limiter, and reports the most requeues any of them counts', () => {
    // GIVEN two backoff limiters that have both seen three failures of "a"
    const limiter = new MaxOfRateLimiter(
      new ExponentialFailureRateLimiter(1, 1_000),
      new ExponentialFailureRateLimiter(2, 1_000),
    );
    delays(limiter, 'a', 3);
    assert.equal(limiter.numRequeues('a'), 3);
    // WHEN "a" is forgotten
    limiter.forget('a');
    // THEN both start over: the next delay is the larger base
    assert.equal(limiter.numRequeues('a'), 0);
    assert.equal(limiter.when('a'), 2);
  });

  it('needs at least one limiter', () => {
    assert.throws(() => new MaxOfRateLimiter(), /at least one limiter/);
  });
});

describe('defaultControllerRateLimiter', () => {
  it("uses controller-runtime's numbers: 5 ms doubling to 1000 s, 10 qps with a burst of 100", () => {
    assert.deepEqual(defaultRateLimits, { baseDelayMs: 5, maxDelayMs: 1_000_000, qps: 10, burst: 100 });
  });

  it('backs a failing key off from 5 ms up to the 1000 s cap, and forgets it on success', () => {
    // GIVEN the default limiter
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock);
    // WHEN one key fails 25 times (well within the bucket's burst)
    const all = delays(limiter, 'a', 25);
    // THEN it doubles from 5 ms and stops at 1000 s
    assert.deepEqual(all.slice(0, 4), [5, 10, 20, 40]);
    assert.equal(all[24], 1_000_000);
    assert.equal(limiter.numRequeues('a'), 25);
    // AND after success it starts over
    limiter.forget('a');
    clock.advance(60_000);
    assert.equal(limiter.when('a'), 5);
  });

  it('slows a storm of first failures once 100 have gone through', () => {
    // GIVEN the default limiter
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter(clock);
    // WHEN 102 different keys each fail once in the same instant
    const all = Array.from({ length: 102 }, (_, i) => limiter.when(`key-${i}`));
    // THEN the first 100 retry after the 5 ms base; the rest queue up behind the bucket at 10 qps
    assert.ok(all.slice(0, 100).every((d) => d === 5));
    assert.deepEqual(all.slice(100), [100, 200]);
  });
});
