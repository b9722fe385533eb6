// The defaults Istio's gateway charts (istio-ingress, istio-egress) render with when the values say nothing.
// They are not part of the release artifacts, so the ones the renderer reads are kept here as facts; settings
// whose default is empty (env, nodeSelector, tolerations, ...) are simply absent. The built-in profiles set
// their differences (demo: ports, no autoscaling, small requests) in spec values, which go on top of these.
import type { ReadonlyJsonObject } from '../../../tree/index.ts';
import { defaultEgressGatewayPorts, defaultIngressGatewayPorts } from '../../../profiles/index.ts';
import type { GatewayDirection } from './gateway-kind.ts';

/** Requests small enough for a laptop, limits high enough for a busy edge. */
const proxyResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
} as const;

/** Shared by both directions: rolling updates that never lose capacity, CPU-driven autoscaling from 1 to 5. */
const common = {
  rollingMaxSurge: '100%',
  rollingMaxUnavailable: '25%',
  autoscaleEnabled: true,
  autoscaleMin: 1,
  autoscaleMax: 5,
  cpu: { targetAverageUtilization: 80 },
  resources: proxyResources,
  runAsRoot: false,
  customService: false,
} as const;

/**
 * Secrets mounted if present, for Gateways that still read certificates from files instead of through SDS.
 * `prefix` is `ingressgateway` or `egressgateway`.
 */
function legacyCertVolumes(prefix: string): ReadonlyJsonObject[] {
  return ['certs', 'ca-certs'].map((what) => ({
    name: `${prefix}-${what}`,
    secretName: `istio-${prefix}-${what}`,
    mountPath: `/etc/istio/${prefix}-${what}`,
  }));
}

/** `values.gateways.<istio-ingressgateway|istio-egressgateway>` as the chart defaults it. */
export const gatewayChartDefaults: Readonly<Record<GatewayDirection, ReadonlyJsonObject>> = {
  ingress: {
    ...common,
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    ports: defaultIngressGatewayPorts,
    // The public edge: a cloud load balancer in front.
    type: 'LoadBalancer',
    secretVolumes: legacyCertVolumes('ingressgateway'),
  },
  egress: {
    ...common,
    labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
    ports: defaultEgressGatewayPorts,
    // Reached only from inside the mesh.
    type: 'ClusterIP',
    secretVolumes: legacyCertVolumes('egressgateway'),
  },
};

/** The `values.global` settings the gateway charts read, as they default them. */
export const gatewayGlobalDefaults: ReadonlyJsonObject = {
  proxy: {
    image: 'proxyv2',
    clusterDomain: 'cluster.local',
    logLevel: 'warning',
    componentLogLevel: 'misc:error',
  },
  logging: { level: 'default:info' },
  pilotCertProvider: 'istiod',
  sds: { token: { aud: 'istio-ca' } },
  defaultPodDisruptionBudget: { enabled: true },
  // Used only when a gateway's own resources are removed: some request, so an autoscaler has a base.
  defaultResources: { requests: { cpu: '10m' } },
};

/** The `values.meshConfig` settings the gateway charts read, as they default them. */
export const gatewayMeshDefaults: ReadonlyJsonObject = {
  enablePrometheusMerge: true,
  trustDomain: 'cluster.local',
};
