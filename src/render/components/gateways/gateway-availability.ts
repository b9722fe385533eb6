// How many gateway pods run: an autoscaler on CPU when autoscaling is on and bounded, and a disruption budget
// that keeps one pod up during node drains, only when there can be more than one pod (a budget over a single
// replica would block every drain). Both follow Istio's gateway charts' conditions.
import type { KubeObject } from '../../../kube/index.ts';
import { readBool, readNumber } from '../../values.ts';
import { gatewayLabels } from './gateway-labels.ts';
import type { GatewayModel } from './gateway-model.ts';

export function gatewayAutoscaler(model: GatewayModel): KubeObject | undefined {
  const g = model.gateway;
  const min = readNumber(g, 'autoscaleMin', 0);
  const max = readNumber(g, 'autoscaleMax', 0);
  if (!readBool(g, 'autoscaleEnabled', false) || min === 0 || max === 0) return undefined;
  const target = {
    type: 'Utilization',
    averageUtilization: readNumber(g, 'cpu.targetAverageUtilization', 80),
  };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: model.name, namespace: model.namespace, labels: gatewayLabels(model) },
    spec: {
      maxReplicas: max,
      minReplicas: min,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: model.name },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target } }],
    },
  };
}

function canHaveSeveralPods(model: GatewayModel): boolean {
  const g = model.gateway;
  return readBool(g, 'autoscaleEnabled', false)
    ? Math.trunc(readNumber(g, 'autoscaleMin', 0)) > 1
    : Math.trunc(readNumber(g, 'replicaCount', 0)) > 1;
}

export function gatewayDisruptionBudget(model: GatewayModel): KubeObject | undefined {
  if (!readBool(model.global, 'defaultPodDisruptionBudget.enabled', false)) return undefined;
  if (!canHaveSeveralPods(model)) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: model.name, namespace: model.namespace, labels: gatewayLabels(model) },
    spec: { minAvailable: 1, selector: { matchLabels: { ...model.selector } } },
  };
}
