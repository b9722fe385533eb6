// How long a failed key waits before its retry, after client-go's util/workqueue/default_rate_limiters.go: a
// per-key exponential backoff (so one broken object backs off alone) combined with a global token bucket (so a
// storm of failures cannot hammer the API server), taking the longer of the two delays.
import type { Clock } from './clock.ts';

export interface RateLimiter {
  /** How long (ms) `key` should wait before its next try; counts as one more requeue of the key. */
  when(key: string): number;
  /** The key succeeded (or is gone): stop tracking it, so its next failure starts from the base delay. */
  forget(key: string): void;
  /** How many times the key has been requeued since it was last forgotten. */
  numRequeues(key: string): number;
}

/** controller-runtime's defaults (DefaultTypedControllerRateLimiter). */
export const defaultRateLimits = {
  baseDelayMs: 5,
  maxDelayMs: 1_000_000,
  qps: 10,
  burst: 100,
} as const;

/** Per key: base, 2×base, 4×base, ... capped at max; `forget` starts the key over. */
export class ExponentialFailureRateLimiter implements RateLimiter {
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly failures = new Map<string, number>();

  constructor(baseDelayMs: number, maxDelayMs: number) {
    if (!(baseDelayMs >= 0) || !(maxDelayMs >= 0)) throw new Error('backoff delays must be >= 0');
    this.baseDelayMs = baseDelayMs;
    this.maxDelayMs = maxDelayMs;
  }

  when(key: string): number {
    const exp = this.failures.get(key) ?? 0;
    this.failures.set(key, exp + 1);
    // 2 ** exp reaches Infinity long before the count could overflow; Infinity is capped like any other delay.
    return Math.min(this.baseDelayMs * 2 ** exp, this.maxDelayMs);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/**
 * A token bucket shared by all keys (golang.org/x/time/rate's Reserve): `burst` tokens to start, refilled at
 * `qps`; each `when` takes a token, and once the bucket is empty the reservation is the wait until its token
 * arrives. Reservations are committed, so the bucket goes into debt and successive waits grow by 1/qps.
 * Computed from the clock on each call: no timers.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(qps: number, burst: number, clock: Clock) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error('token bucket needs qps > 0 and burst >= 1');
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now();
  }

  // No key parameter: the bucket is shared by all keys.
  when(): number {
    const now = this.clock.now();
    // A clock that stepped back refills nothing, and refills count from the new reading, as in x/time/rate.
    const elapsed = Math.max(0, now - this.last);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    // Multiply before dividing so whole-token debts give whole milliseconds (3 tokens at 10 qps: 300, not 300.00…06).
    return this.tokens < 0 ? (-this.tokens * 1000) / this.qps : 0;
  }

  forget(): void {
    // A key's success returns no tokens to the shared bucket.
  }

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for; `forget` reaches them all. */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    if (limiters.length === 0) throw new Error('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(key: string): number {
    // Every limiter is asked, not just until one wins: each must count the requeue (and the bucket spend a token).
    return Math.max(...this.limiters.map((l) => l.when(key)));
  }

  forget(key: string): void {
    for (const l of this.limiters) l.forget(key);
  }

  numRequeues(key: string): number {
    return Math.max(...this.limiters.map((l) => l.numRequeues(key)));
  }
}

/** client-go's DefaultControllerRateLimiter: 5 ms doubling to 1000 s per key, at most 10 qps (burst 100) overall. */
export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  const d = defaultRateLimits;
  return new MaxOfRateLimiter(
    new ExponentialFailureRateLimiter(d.baseDelayMs, d.maxDelayMs),
    new BucketRateLimiter(d.qps, d.burst, clock),
  );
}
