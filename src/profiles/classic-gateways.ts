// Istio's classic (Deployment-based) gateways: their names, which are also the keys of their values under
// `values.gateways`, and their Service ports (`values.gateways.<name>.ports`). A gateway's Service and its
// container ports are both made from the ports list, so every entry carries name, port, targetPort and protocol.
// The default lists are what Istio's gateway charts use when nothing sets ports; demo replaces the ingress list.

export const ClassicGateway = {
  Ingress: 'istio-ingressgateway',
  Egress: 'istio-egressgateway',
} as const;
export type ClassicGateway = (typeof ClassicGateway)[keyof typeof ClassicGateway];

/** The shape checked for each entry; the exported lists keep their literal types. */
interface GatewayPortShape {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP';
}

const statusPort = { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' } as const;
// Gateways run unprivileged, so the well-known ports map to high container ports.
const http2Port = { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' } as const;
const httpsPort = { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' } as const;

export const defaultIngressGatewayPorts = [
  statusPort,
  http2Port,
  httpsPort,
] as const satisfies readonly GatewayPortShape[];

/** demo adds raw TCP (31400) and mTLS passthrough for multicluster east-west traffic (15443). */
export const demoIngressGatewayPorts = [
  ...defaultIngressGatewayPorts,
  { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
  { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
] as const satisfies readonly GatewayPortShape[];

export const defaultEgressGatewayPorts = [
  http2Port,
  httpsPort,
] as const satisfies readonly GatewayPortShape[];

export type GatewayPort = (typeof demoIngressGatewayPorts)[number];
