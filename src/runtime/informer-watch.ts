// One watch of an informer, from a known resourceVersion until it ends, and why it ended. Bookmarks only move
// the resourceVersion; every other event goes to `onEvent`. A watchdog aborts the watch when neither an event
// nor a bookmark arrived for `staleAfterMs` (a half-open connection looks exactly like a quiet one otherwise).
// Nothing here throws: every way a watch can end is a result the informer decides on.
import { ApiError, isGone } from '../kube/index.ts';
import type { ApiStatus, KubeObject, ObjectClient, TypeRef, WatchEvent } from '../kube/index.ts';
import { pause } from './abortable-wait.ts';
import type { Clock } from './clock.ts';

/** The object-client calls an informer needs. */
export type InformerClient = Pick<ObjectClient, 'list' | 'watch'>;

export const WatchEnd = {
  /** The server closed the stream (its timeout, or it shut down cleanly): watch again from where we are. */
  Closed: 'Closed',
  /** 410: our resourceVersion is too old to watch from: relist. */
  Gone: 'Gone',
  /** No event or bookmark for too long: watch again from where we are. */
  Stale: 'Stale',
  /** Anything else went wrong: watch again from where we are. */
  Failed: 'Failed',
  /** The informer is stopping. */
  Stopped: 'Stopped',
} as const;
export type WatchEnd = (typeof WatchEnd)[keyof typeof WatchEnd];

export interface WatchSpec<T extends KubeObject> {
  client: InformerClient;
  type: TypeRef;
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  metadataOnly?: boolean | undefined;
  resourceVersion: string;
  timeoutSeconds: number;
  /** 0 turns the watchdog off. */
  staleAfterMs: number;
  clock: Clock;
  signal: AbortSignal;
  onEvent(event: WatchEvent<T>): void;
}

export interface WatchResult {
  end: WatchEnd;
  /** Where to watch from next: the last event's or bookmark's resourceVersion. */
  resourceVersion: string;
  error?: unknown;
}

interface Progress {
  resourceVersion: string;
  lastActivity: number;
  stale: boolean;
}

export async function watchOnce<T extends KubeObject>(spec: WatchSpec<T>): Promise<WatchResult> {
  const progress: Progress = {
    resourceVersion: spec.resourceVersion,
    lastActivity: spec.clock.now(),
    stale: false,
  };
  const session = new AbortController();
  const watchdog = guard(spec, progress, session);
  let error: unknown;
  try {
    await consume(spec, progress, AbortSignal.any([spec.signal, session.signal]));
  } catch (err) {
    error = err;
  } finally {
    session.abort();
    await watchdog;
  }
  return { end: classify(spec.signal, progress, error), resourceVersion: progress.resourceVersion, error };
}

async function consume<T extends KubeObject>(
  spec: WatchSpec<T>,
  progress: Progress,
  signal: AbortSignal,
): Promise<void> {
  const events = spec.client.watch<T>(spec.type, {
    namespace: spec.namespace,
    labelSelector: spec.labelSelector,
    fieldSelector: spec.fieldSelector,
    metadataOnly: spec.metadataOnly,
    resourceVersion: progress.resourceVersion,
    allowWatchBookmarks: true,
    timeoutSeconds: spec.timeoutSeconds,
    signal,
  });
  for await (const event of events) {
    progress.lastActivity = spec.clock.now();
    if (event.type === 'ERROR') throw statusError(spec.type, event.object as unknown as ApiStatus);
    if (event.type !== 'BOOKMARK') spec.onEvent(event);
    progress.resourceVersion = event.object.metadata.resourceVersion ?? progress.resourceVersion;
  }
}

function statusError(type: TypeRef, status: ApiStatus): ApiError {
  return new ApiError(`watch ${type.kind}`, status.code ?? 500, status);
}

function classify(stopping: AbortSignal, progress: Progress, error: unknown): WatchEnd {
  if (stopping.aborted) return WatchEnd.Stopped;
  if (progress.stale) return WatchEnd.Stale;
  if (error === undefined) return WatchEnd.Closed;
  return isGone(error) ? WatchEnd.Gone : WatchEnd.Failed;
}

/** Aborts the session once it has been silent for `staleAfterMs`; returns when the session ends. */
async function guard<T extends KubeObject>(
  spec: WatchSpec<T>,
  progress: Progress,
  session: AbortController,
): Promise<void> {
  if (spec.staleAfterMs <= 0) return;
  while (!session.signal.aborted) {
    const silentFor = spec.clock.now() - progress.lastActivity;
    if (silentFor >= spec.staleAfterMs) {
      progress.stale = true;
      session.abort();
      return;
    }
    await pause(spec.clock, spec.staleAfterMs - silentFor, session.signal);
  }
}
