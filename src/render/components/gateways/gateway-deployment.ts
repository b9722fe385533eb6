// The gateway's Deployment. Its selector is the gateway's label set and nothing else, as Istio's charts have
// always made it: a selector cannot change after creation, so keeping it is what lets meshop take over a
// gateway istioctl installed, and lets a revision change roll the same pods instead of replacing the workload.
import type { KubeObject } from '../../../kube/index.ts';
import { cloneJson } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonValue } from '../../../tree/index.ts';
import { readBool, readList, readNumber, readString } from '../../values.ts';
import { deploymentLabels, podAnnotations, podLabels } from './gateway-labels.ts';
import type { GatewayModel } from './gateway-model.ts';
import { serviceAccountName } from './gateway-access.ts';
import { podAffinity, podTolerations } from './pod-scheduling.ts';
import { podVolumes } from './pod-volumes.ts';
import { proxyContainer } from './proxy-container.ts';

/** Istio's proxy user and group; OpenShift assigns its own, so only non-root is asked for there. */
const proxyUser = 1337;

function podSecurityContext(model: GatewayModel): JsonObject | undefined {
  if (readBool(model.gateway, 'runAsRoot', false)) return undefined;
  if (model.platform === 'openshift') return { runAsNonRoot: true };
  return { runAsUser: proxyUser, runAsGroup: proxyUser, runAsNonRoot: true };
}

function podSpec(model: GatewayModel): JsonObject {
  const securityContext = podSecurityContext(model);
  const priorityClassName = readString(model.global, 'priorityClassName', '');
  const affinity = podAffinity(model);
  const tolerations = podTolerations(model);
  const extraContainers = readList(model.gateway, 'additionalContainers').map(cloneJson);
  return {
    ...(securityContext ? { securityContext } : {}),
    serviceAccountName: serviceAccountName(model),
    ...(priorityClassName ? { priorityClassName } : {}),
    containers: [proxyContainer(model), ...extraContainers],
    volumes: podVolumes(model).volumes,
    ...(affinity ? { affinity } : {}),
    ...(tolerations ? { tolerations } : {}),
  };
}

/** A fixed replica count only without an autoscaler; otherwise the HPA owns `replicas`. */
function replicas(model: GatewayModel): JsonObject {
  if (readBool(model.gateway, 'autoscaleEnabled', false)) return {};
  const count = readNumber(model.gateway, 'replicaCount', 0);
  return count > 0 ? { replicas: count } : {};
}

/** Surge and unavailability may be counts or percentages. */
function rollingValue(value: ReadonlyJsonValue | undefined): string | number | null {
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

export function gatewayDeployment(model: GatewayModel): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: model.name, namespace: model.namespace, labels: deploymentLabels(model) },
    spec: {
      ...replicas(model),
      selector: { matchLabels: { ...model.selector } },
      strategy: {
        rollingUpdate: {
          maxSurge: rollingValue(model.gateway.rollingMaxSurge),
          maxUnavailable: rollingValue(model.gateway.rollingMaxUnavailable),
        },
      },
      template: {
        metadata: { labels: podLabels(model), annotations: podAnnotations(model) },
        spec: podSpec(model),
      },
    },
  };
}
