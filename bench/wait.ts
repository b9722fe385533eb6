// Polling for the benchmarks: a bench measures how long something takes, so it checks often and fails loudly
// (naming what it waited for) instead of hanging.
import type { KubeClient } from '../src/kube/index.ts';
import { meshType } from '../src/reconcile/index.ts';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 300_000,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`bench: ${what} did not happen within ${String(timeoutMs)} ms`);
    await sleep(everyMs);
  }
}

/** Until the API server serves MeshConfigs (its CRD just applied). */
export function untilMeshConfigServed(kube: KubeClient, timeoutMs?: number, everyMs?: number): Promise<void> {
  return until(
    'MeshConfig served',
    () =>
      kube.objects.list(meshType).then(
        () => true,
        () => false,
      ),
    timeoutMs,
    everyMs,
  );
}
