// Waiting on a Clock that ends early when a signal aborts: how the manager and leader election pause between
// polls and retries, so stopping never waits out a timer.
import type { Clock } from './clock.ts';

/** Resolves true after `ms` on `clock`, or false as soon as `signal` aborts (at once if it already has). */
export function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  const { promise, resolve } = Promise.withResolvers<boolean>();
  const onAbort = (): void => {
    cancel();
    resolve(false);
  };
  const cancel = clock.after(ms, () => {
    signal.removeEventListener('abort', onAbort);
    resolve(true);
  });
  signal.addEventListener('abort', onAbort, { once: true });
  return promise;
}

/** Resolves once `signal` aborts. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const { promise, resolve } = Promise.withResolvers<undefined>();
  signal.addEventListener(
    'abort',
    () => {
      resolve(undefined);
    },
    { once: true },
  );
  return promise;
}
