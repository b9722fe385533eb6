// How long the informer waits before it lists or watches again, after client-go's reflector: exponential from
// 800 ms to 30 s, with jitter so that many informers failing together (an API server restart) do not come back
// in step, and back to the start once a watch has run long enough to count as healthy.
export interface BackoffOptions {
  /** The first delay; 800 ms unless given. */
  initialMs?: number;
  /** The delay stops growing here (before jitter); 30 s unless given. */
  maxMs?: number;
  /** Growth per attempt; 2 unless given. */
  factor?: number;
  /** Each delay is stretched by up to this fraction of itself, at random: [d, d * (1 + jitter)); 0.5 unless given. */
  jitter?: number;
  /** A restart that held this long counts as healthy, and the next delay starts over; 2 min unless given. */
  resetAfterMs?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private readonly random: () => number;
  private attempt = 0;
  private restartAt: number | undefined;

  constructor(options: BackoffOptions = {}, random: () => number = Math.random) {
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    this.random = random;
  }

  /** The delay before the next attempt, for an attempt that ended at `now` (milliseconds). */
  next(now: number): number {
    // Measured from when the last delay ended, so time spent waiting never counts as health.
    if (this.restartAt !== undefined && now - this.restartAt >= this.resetAfterMs) this.attempt = 0;
    const base = Math.min(this.initialMs * this.factor ** this.attempt, this.maxMs);
    if (base < this.maxMs) this.attempt++;
    const delay = Math.round(base * (1 + this.jitter * this.random()));
    this.restartAt = now + delay;
    return delay;
  }
}
