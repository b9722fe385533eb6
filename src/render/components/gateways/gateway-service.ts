// The gateway's Service: its ports exactly as the values list them (every field of each entry, so nodePort or
// appProtocol pass through), the direction's type (LoadBalancer in, ClusterIP out), and the load-balancer and
// dual-stack settings the values name. Not rendered when the values say the user brings their own Service.
import type { KubeObject } from '../../../kube/index.ts';
import { cloneJsonObject, isJsonObject } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import { readBool, readList, readNumber, readString } from '../../values.ts';
import { gatewayLabels } from './gateway-labels.ts';
import type { GatewayModel } from './gateway-model.ts';
import { toStringMap } from './string-map.ts';

function servicePorts(model: GatewayModel): JsonObject[] {
  const ports = readList(model.gateway, 'ports').filter(isJsonObject).map(cloneJsonObject);
  // Extra ports that reach the pods on the same number (`ingressPorts` / `egressPorts`).
  const extra = readList(model.gateway, model.kind.extraPortsKey)
    .filter(isJsonObject)
    .map((p) => ({ port: readNumber(p, 'port', 0), name: readString(p, 'name', '') }));
  return [...ports, ...extra];
}

/** The optional spec fields, each only when the values set it. */
function optionalSpec(model: GatewayModel): JsonObject {
  const g = model.gateway;
  const out: JsonObject = {};
  const loadBalancerIP = readString(g, 'loadBalancerIP', '');
  if (loadBalancerIP) out.loadBalancerIP = loadBalancerIP;
  const sourceRanges = readList(g, 'loadBalancerSourceRanges');
  if (sourceRanges.length > 0) out.loadBalancerSourceRanges = sourceRanges.map(String);
  const trafficPolicy = readString(g, 'externalTrafficPolicy', '');
  if (trafficPolicy) out.externalTrafficPolicy = trafficPolicy;
  const ipFamilyPolicy = readString(g, 'ipFamilyPolicy', '');
  if (ipFamilyPolicy) out.ipFamilyPolicy = ipFamilyPolicy;
  const ipFamilies = readList(g, 'ipFamilies');
  if (ipFamilies.length > 0) out.ipFamilies = ipFamilies.map(String);
  return out;
}

export function gatewayService(model: GatewayModel): KubeObject | undefined {
  if (readBool(model.gateway, 'customService', false)) return undefined;
  const annotations = toStringMap(model.gateway.serviceAnnotations);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: model.name,
      namespace: model.namespace,
      labels: gatewayLabels(model),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      type: readString(model.gateway, 'type', '') || 'ClusterIP',
      selector: { ...model.selector },
      ports: servicePorts(model),
      ...optionalSpec(model),
    },
  };
}
