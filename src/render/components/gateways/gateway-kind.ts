// What tells an ingress gateway from an egress gateway. Istio ships one chart per direction and the two differ
// only in these facts; everything else about a classic gateway is shared.
import { ComponentName } from '../../component.ts';
import { ClassicGateway } from '../../../profiles/index.ts';

export type GatewayDirection = 'ingress' | 'egress';

export interface GatewayKind {
  direction: GatewayDirection;
  component: typeof ComponentName.IngressGateways | typeof ComponentName.EgressGateways;
  /** The key of this direction's settings under `values.gateways`, shared by every gateway of the direction. */
  valuesKey: ClassicGateway;
  /** Value of the `istio` label, which Istio `Gateway` resources select on (`selector: {istio: ingressgateway}`). */
  istioLabel: string;
  /** Value of `operator.istio.io/component`, the label istioctl's uninstall and prune select by. */
  operatorComponent: string;
  /** Values key of the extra Service-only ports (`ingressPorts` / `egressPorts`). */
  extraPortsKey: string;
}

export const gatewayKinds: Readonly<Record<GatewayDirection, GatewayKind>> = {
  ingress: {
    direction: 'ingress',
    component: ComponentName.IngressGateways,
    valuesKey: ClassicGateway.Ingress,
    istioLabel: 'ingressgateway',
    operatorComponent: 'IngressGateways',
    extraPortsKey: 'ingressPorts',
  },
  egress: {
    direction: 'egress',
    component: ComponentName.EgressGateways,
    valuesKey: ClassicGateway.Egress,
    istioLabel: 'egressgateway',
    operatorComponent: 'EgressGateways',
    extraPortsKey: 'egressPorts',
  },
};
