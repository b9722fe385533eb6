// The client-side rate limit of every request to the API server (--kube-api-qps, --kube-api-burst), as client-go's
// token bucket (golang.org/x/time/rate): `burst` requests may go at once, then `qps` a second. A request that
// finds the bucket empty reserves the next token and waits for it, so requests go out in the order they came.
// Hand-written because the npm limiters count fixed windows, which let twice the burst through at a window edge.
import { setTimeout as sleep } from 'node:timers/promises';

export interface ClientRateLimit {
  /** Sustained requests per second; 0 or less turns the limit off. */
  qps: number;
  /** Requests that may go at once after a quiet spell (at least 1). */
  burst: number;
}

export class TokenBucket {
  private readonly limit: ClientRateLimit;
  private readonly now: () => number;
  private tokens: number;
  private last: number;

  constructor(limit: ClientRateLimit, now: () => number = () => performance.now()) {
    this.limit = { qps: limit.qps, burst: Math.max(1, limit.burst) };
    this.now = now;
    this.tokens = this.limit.burst;
    this.last = now();
  }

  /** Takes a token, borrowing from the future when there is none: the milliseconds to wait before sending. */
  reserve(): number {
    if (this.limit.qps <= 0) return 0;
    const t = this.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((t - this.last) * this.limit.qps) / 1000);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.limit.qps;
  }

  /** Waits for a token; an aborted signal ends the wait with its reason. */
  async take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : undefined);
  }
}
