// When an applied object counts as ready. Honest about rollouts: a workload is ready only once its controller has
// observed the current generation and every replica is updated, ready and available — a Deployment whose status
// still describes the previous generation is not ready, whatever its old numbers say.
import type { KubeObject } from '../kube/index.ts';

export interface Readiness {
  ready: boolean;
  /** Why not, in words for a status message; empty when ready. */
  reason: string;
}

type Status = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const ready: Readiness = { ready: true, reason: '' };
const notReady = (reason: string): Readiness => ({ ready: false, reason });

function generationObserved(obj: KubeObject, status: Status): boolean {
  return num(status.observedGeneration) >= num(obj.metadata.generation);
}

function deploymentReadiness(obj: KubeObject, status: Status): Readiness {
  const spec = (obj.spec ?? {}) as { replicas?: number };
  const want = spec.replicas ?? 1;
  if (!generationObserved(obj, status)) return notReady('rollout not yet observed by its controller');
  const counts = ['updatedReplicas', 'readyReplicas', 'availableReplicas'] as const;
  for (const field of counts) {
    if (num(status[field]) < want) return notReady(`${field} ${String(num(status[field]))}/${String(want)}`);
  }
  // Old pods still running means the rollout is not over.
  if (num(status.replicas) > want) return notReady(`old replicas still terminating`);
  return ready;
}

function daemonSetReadiness(obj: KubeObject, status: Status): Readiness {
  if (!generationObserved(obj, status)) return notReady('rollout not yet observed by its controller');
  const want = num(status.desiredNumberScheduled);
  for (const field of ['updatedNumberScheduled', 'numberReady', 'numberAvailable'] as const) {
    if (num(status[field]) < want) return notReady(`${field} ${String(num(status[field]))}/${String(want)}`);
  }
  return ready;
}

function crdReadiness(status: Status): Readiness {
  const conditions = (status.conditions ?? []) as { type?: string; status?: string }[];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True')
    ? ready
    : notReady('not yet Established');
}

export function readinessOf(obj: KubeObject): Readiness {
  const status = (obj.status ?? {}) as Status;
  switch (obj.kind) {
    case 'Deployment':
    case 'StatefulSet':
      return deploymentReadiness(obj, status);
    case 'DaemonSet':
      return daemonSetReadiness(obj, status);
    case 'CustomResourceDefinition':
      return crdReadiness(status);
    default:
      return ready;
  }
}

/** Kinds whose readiness is more than existing. */
export function hasReadiness(kind: string): boolean {
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'CustomResourceDefinition'].includes(kind);
}
