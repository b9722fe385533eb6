// FakeClock, which every time-dependent runtime test relies on: time moves only on advance, and timers fire in
// due order with now() reading their due time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock, realClock } from '../../../src/runtime/clock.ts';

describe('FakeClock', () => {
  it('reads its start time until advanced', () => {
    const clock = new FakeClock(500);
    assert.equal(clock.now(), 500);
    clock.advance(250);
    assert.equal(clock.now(), 750);
  });

  it('fires due timers in due order, ties in the order they were set, reading each due time', () => {
    // GIVEN timers at 30, 10, 10 and 50 ms
    const clock = new FakeClock();
    const fired: string[] = [];
    const at = (label: string) => () => fired.push(`${label}@${clock.now()}`);
    clock.after(30, at('c'));
    clock.after(10, at('a'));
    clock.after(10, at('b'));
    clock.after(50, at('late'));
    // WHEN time moves 40 ms
    clock.advance(40);
    // THEN the three due ones fired in order, each at its due time, and the clock reads 40
    assert.deepEqual(fired, ['a@10', 'b@10', 'c@30']);
    assert.equal(clock.now(), 40);
    assert.equal(clock.pending(), 1);
    assert.equal(clock.nextDue(), 50);
  });

  it('fires timers set by a callback if they come due within the same advance', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.after(10, () => {
      fired.push(clock.now());
      clock.after(10, () => fired.push(clock.now()));
      clock.after(100, () => fired.push(clock.now()));
    });
    clock.advance(50);
    assert.deepEqual(fired, [10, 20]);
    assert.equal(clock.pending(), 1);
  });

  it('never fires a cancelled timer; cancelling twice or after firing does nothing', () => {
    const clock = new FakeClock();
    let fired = 0;
    const cancel = clock.after(10, () => fired++);
    const other = clock.after(5, () => fired++);
    cancel();
    cancel();
    clock.advance(20);
    other();
    assert.equal(fired, 1);
    assert.equal(clock.pending(), 0);
    assert.equal(clock.nextDue(), undefined);
  });

  it('fires a zero or negative delay on the next advance, even of 0 ms', () => {
    const clock = new FakeClock(100);
    let fired = 0;
    clock.after(0, () => fired++);
    clock.after(-5, () => fired++);
    assert.equal(fired, 0);
    clock.advance(0);
    assert.equal(fired, 2);
    assert.equal(clock.now(), 100);
  });
});

describe('realClock', () => {
  it('reads wall-clock milliseconds and cancels a timer before it fires', () => {
    const before = Date.now();
    assert.ok(realClock.now() >= before);
    // A timer a day out that is cancelled at once keeps nothing alive; the test would hang otherwise.
    realClock.after(86_400_000, () => assert.fail('cancelled timer fired'))();
  });
});
