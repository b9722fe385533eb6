// With `global.networkPolicy.enabled`, a NetworkPolicy that admits only what a gateway serves (status,
// metrics and its own ports) and lets it reach anything, since it must reach istiod and the outside world.
import type { KubeObject } from '../../../kube/index.ts';
import { isJsonObject } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import { revisioned } from '../../context.ts';
import { readBool, readList, readNumber, readString } from '../../values.ts';
import { componentLabels } from './gateway-labels.ts';
import type { GatewayModel } from './gateway-model.ts';

const tcp = (port: number): JsonObject => ({ protocol: 'TCP', port });

function ingressRules(model: GatewayModel): JsonObject[] {
  const served = readList(model.gateway, 'ports')
    .filter(isJsonObject)
    .map((p) => ({
      ports: [
        {
          protocol: readString(p, 'protocol', '') || 'TCP',
          port: readNumber(p, 'targetPort', 0) || readNumber(p, 'port', 0),
        },
      ],
    }));
  // The status port, then the agent's merged metrics and Envoy's own.
  return [{ ports: [tcp(15021)] }, { ports: [tcp(15020), tcp(15090)] }, ...served];
}

export function gatewayNetworkPolicy(model: GatewayModel): KubeObject | undefined {
  if (!readBool(model.global, 'networkPolicy.enabled', false)) return undefined;
  const labels = { ...componentLabels(model), app: model.name, istio: model.kind.istioLabel };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    // One per revision, as Istio names it, although the pods it selects are the same across revisions.
    metadata: { name: revisioned(model, model.name), namespace: model.namespace, labels },
    spec: {
      podSelector: { matchLabels: { ...model.selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: ingressRules(model),
      egress: [{}],
    },
  };
}
