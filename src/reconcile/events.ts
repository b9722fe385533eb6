// Kubernetes Events for the transitions people look for in `kubectl describe mesh` (installed, a component
// failed, teardown started and finished). Only on transitions: a converged mesh emits none. Best-effort: an Event
// that cannot be written (forbidden, quota, the API server busy) is logged and dropped, never a failed reconcile,
// since the condition in the status says the same and is what tools act on.
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import type { Logger } from '../runtime/index.ts';
import { describeError } from '../runtime/index.ts';

export const EventType = { Normal: 'Normal', Warning: 'Warning' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export interface EventRecorder {
  record(about: KubeObject, type: EventType, reason: string, message: string): Promise<void>;
}

/** Events go to the default namespace, as for any cluster-scoped object. */
export function apiEventRecorder(client: ObjectClient, now: () => Date, logger: Logger): EventRecorder {
  return {
    async record(about, type, reason, message) {
      const time = now().toISOString();
      await client
        .create({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { generateName: `${about.metadata.name ?? 'mesh'}.`, namespace: 'default' },
          involvedObject: {
            apiVersion: about.apiVersion,
            kind: about.kind,
            name: about.metadata.name,
            uid: about.metadata.uid,
          },
          type,
          reason,
          message,
          source: { component: 'meshop' },
          firstTimestamp: time,
          lastTimestamp: time,
          count: 1,
        })
        .catch((err: unknown) => {
          logger.warn('event not recorded', { reason, error: describeError(err) });
        });
    },
  };
}
