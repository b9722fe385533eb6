// `--wait`: follows one MeshConfig by watch until the operator reports it Ready for the generation we applied,
// fails (a component in Error, Degraded), or the time runs out. Each change goes through the progress model to
// a view; what the exit code says comes from the model alone.
import { MeshConfigApiVersion, MeshConfigKind } from '../api/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { formatDuration } from './duration.ts';
import type { MeshOutcome, MeshWithStatus } from './view/mesh-progress.ts';
import { ProgressTracker, snapshotOf } from './view/mesh-progress.ts';
import { WaitTimeoutError } from './poll-until.ts';
import type { ProgressView } from './view/progress-view.ts';

export interface MeshWaitOptions {
  name: string;
  /** metadata.generation of the spec we applied: status about older ones does not count. */
  generation: number;
  timeoutMs: number;
  view: ProgressView;
}

/** The mesh did not become ready: a component failed or the operator reported it Degraded (exit 1). */
export class MeshFailedError extends Error {
  override name = 'MeshFailedError';
}

const meshConfigType = { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind };
// The server ends a watch after this; we then read the object again and watch on.
const watchSeconds = 300;

/** One wait: which MeshConfig, until when, and who hears about each version of it (true: the wait is over). */
interface Follow {
  kube: KubeClient;
  name: string;
  signal: AbortSignal;
  onChange: (mesh: MeshWithStatus | undefined) => boolean;
}

/** One watch from `resourceVersion`; true when onChange said the wait is over. */
async function watchOnce(f: Follow, resourceVersion: string): Promise<boolean> {
  const events = f.kube.objects.watch<MeshWithStatus>(meshConfigType, {
    fieldSelector: `metadata.name=${f.name}`,
    resourceVersion,
    timeoutSeconds: watchSeconds,
    signal: f.signal,
  });
  for await (const event of events) {
    // An ERROR event (410 Gone after a compaction, mostly): start over from a fresh read.
    if (event.type === 'ERROR') return false;
    if (event.type === 'BOOKMARK') continue;
    if (f.onChange(event.type === 'DELETED' ? undefined : event.object)) return true;
  }
  return false;
}

/** Reads the MeshConfig, then watches it, until onChange is satisfied (true) or the signal aborts (false). */
async function follow(f: Follow): Promise<boolean> {
  const ref = { ...meshConfigType, name: f.name };
  // A function, not the property: the signal aborts while we await, behind the type checker's back.
  const aborted = (): boolean => f.signal.aborted;
  while (!aborted()) {
    const mesh = await f.kube.objects.find<MeshWithStatus>(ref);
    if (f.onChange(mesh) || mesh === undefined) return true;
    try {
      if (await watchOnce(f, mesh.metadata.resourceVersion ?? '')) return true;
    } catch (err) {
      // Aborting the watch at the deadline ends its stream with an error; that is the timeout, not a failure.
      if (!aborted()) throw err;
    }
  }
  return false;
}

/** Why the wait ended without a ready mesh: the failure the operator reported, or the time running out. */
function waitError(options: MeshWaitOptions, finished: boolean, outcome: MeshOutcome | undefined): Error {
  const subject = `MeshConfig ${options.name}`;
  if (finished && outcome?.kind === 'failed')
    return new MeshFailedError(`${subject} failed: ${outcome.message}`);
  const why = outcome?.kind === 'waiting' ? outcome.reason : 'no answer from the cluster';
  return new WaitTimeoutError(`${subject} not ready within ${formatDuration(options.timeoutMs)}: ${why}`);
}

export async function waitForMesh(kube: KubeClient, options: MeshWaitOptions): Promise<void> {
  const started = Date.now();
  const tracker = new ProgressTracker(started);
  let outcome: MeshOutcome | undefined;
  const onChange = (mesh: MeshWithStatus | undefined): boolean => {
    const snapshot = snapshotOf(mesh, options.generation);
    const now = Date.now();
    options.view.update(snapshot, tracker.update(snapshot, now), now - started);
    outcome = snapshot.outcome;
    return outcome.kind !== 'waiting';
  };
  const signal = AbortSignal.timeout(options.timeoutMs);
  const finished = await follow({ kube, name: options.name, signal, onChange });
  const elapsedMs = Date.now() - started;
  if (finished && outcome?.kind === 'ready') {
    await options.view.finish({ ok: true, message: 'ready', elapsedMs });
    return;
  }
  const error = waitError(options, finished, outcome);
  await options.view.finish({ ok: false, message: error.message, elapsedMs });
  throw error;
}
