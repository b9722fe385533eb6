// Waiting in the CLI: ask the cluster again every interval until the thing is done or the deadline passes. A
// command waits on a handful of objects for minutes at most, so a poll is simpler than a watch and as good.
import { formatDuration } from './duration.ts';

/** A wait that ran out of time (exit 1): names what was awaited and the last reason it was not done. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Calls `check` until it answers undefined (done). Any other answer is why it is not done yet, reported when
 * the time runs out. Errors from `check` are not retried: a refused request will not pass on a second try.
 */
export async function pollUntil(
  what: string,
  check: () => Promise<string | undefined>,
  options: PollOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const reason = await check();
    if (reason === undefined) return;
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(`${what}: not done within ${formatDuration(options.timeoutMs)}: ${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}
