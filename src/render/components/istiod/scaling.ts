// istiod's HorizontalPodAutoscaler and PodDisruptionBudget. A PDB is rendered only when more than one replica
// is wanted: with a single replica, minAvailable 1 would block every node drain.
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned, revLabel } from '../../context.ts';
import { readBool, readNumber, readString, readTree } from '../../values.ts';
import type { IstiodValues } from './istiod-values.ts';
import { istiodServiceSelector } from './selectors.ts';

function utilization(resource: string, percent: number): JsonObject {
  return {
    type: 'Resource',
    resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } },
  };
}

export function istiodHpa(ctx: RenderContext, v: IstiodValues): KubeObject | undefined {
  const min = readNumber(v.pilot, 'autoscaleMin', 0);
  const max = readNumber(v.pilot, 'autoscaleMax', 0);
  if (!readBool(v.pilot, 'autoscaleEnabled', true) || min === 0 || max === 0) return undefined;
  const memory = readNumber(v.pilot, 'memory.targetAverageUtilization', 0);
  const behavior = readTree(v.pilot, 'autoscaleBehavior');
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: revisioned(ctx, 'istiod'),
      namespace: ctx.namespace,
      labels: { app: 'istiod', 'istio.io/rev': revLabel(ctx) },
    },
    spec: {
      maxReplicas: max,
      minReplicas: min,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: revisioned(ctx, 'istiod') },
      metrics: [
        utilization('cpu', readNumber(v.pilot, 'cpu.targetAverageUtilization', 80)),
        ...(memory > 0 ? [utilization('memory', memory)] : []),
      ],
      ...(Object.keys(behavior).length > 0 ? { behavior: behavior as JsonObject } : {}),
    },
  };
}

function wantsSeveralReplicas(v: IstiodValues): boolean {
  return readBool(v.pilot, 'autoscaleEnabled', true)
    ? readNumber(v.pilot, 'autoscaleMin', 1) > 1
    : readNumber(v.pilot, 'replicaCount', 1) > 1;
}

function budget(v: IstiodValues): JsonObject {
  const pdb = readTree(v.pilot, 'pdb');
  const out: JsonObject = {};
  const count = (value: unknown): number | string | undefined =>
    (typeof value === 'number' && value !== 0) || (typeof value === 'string' && value !== '')
      ? value
      : undefined;
  const minAvailable = count(pdb.minAvailable);
  const maxUnavailable = count(pdb.maxUnavailable);
  if (minAvailable !== undefined && pdb.maxUnavailable === undefined) out.minAvailable = minAvailable;
  else if (maxUnavailable !== undefined) out.maxUnavailable = maxUnavailable;
  const policy = readString(pdb, 'unhealthyPodEvictionPolicy', '');
  if (policy) out.unhealthyPodEvictionPolicy = policy;
  return out;
}

export function istiodPdb(ctx: RenderContext, v: IstiodValues): KubeObject | undefined {
  if (!readBool(v.global, 'defaultPodDisruptionBudget.enabled', true) || !wantsSeveralReplicas(v))
    return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name: revisioned(ctx, 'istiod'),
      namespace: ctx.namespace,
      labels: { app: 'istiod', 'istio.io/rev': revLabel(ctx), istio: 'pilot' },
    },
    spec: { ...budget(v), selector: { matchLabels: istiodServiceSelector(ctx) } },
  };
}
