// Time as the runtime sees it: a reading in milliseconds and a one-shot timer. Everything time-dependent in
// src/runtime/ takes a Clock, so unit tests move time by hand with FakeClock instead of sleeping.

/** Stops a timer from `Clock.after`; calling it after the timer fired, or twice, does nothing. */
export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the epoch (or since the fake clock's start). */
  now(): number;
  /** Calls `fn` once, `ms` milliseconds from now (0 or less: as soon as possible). */
  after(ms: number, fn: () => void): Cancel;
}

// Node's setTimeout fires at once (with a warning) for delays above 2^31-1 ms (~24.8 days); chain instead.
const maxTimerMs = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    let timer: NodeJS.Timeout;
    const arm = (left: number): void => {
      const step = Math.min(Math.max(0, left), maxTimerMs);
      timer = setTimeout(() => {
        if (left > step) arm(left - step);
        else fn();
      }, step);
    };
    arm(ms);
    return () => {
      clearTimeout(timer);
    };
  },
};

interface FakeTimer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told to; `advance` fires the timers that come due, earliest first. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  // Sorted by (due, seq): timers due at the same instant fire in the order they were set.
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Cancel {
    const timer: FakeTimer = { due: this.current + Math.max(0, ms), seq: this.seq++, fn };
    const at = this.timers.findIndex((t) => t.due > timer.due);
    this.timers.splice(at === -1 ? this.timers.length : at, 0, timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /**
   * Moves time forward by `ms`, firing every timer due by then in due order; during each callback `now()` reads
   * that timer's due time, and timers the callbacks set are fired too if they come due within the advance.
   */
  advance(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (let next = this.timers[0]; next !== undefined && next.due <= target; next = this.timers[0]) {
      this.timers.shift();
      this.current = next.due;
      next.fn();
    }
    this.current = target;
  }

  /** How many timers are set and not yet fired or cancelled. */
  pending(): number {
    return this.timers.length;
  }

  /** When the earliest pending timer is due, if any. */
  nextDue(): number | undefined {
    return this.timers[0]?.due;
  }
}
