// A showcase install: everything visible (egress gateway, access logs, tracing) on very little CPU and memory.
// Istio keeps most of this in its chart-level demo values; they are folded in here at the spec paths that reach
// the same chart settings.
import { ClassicGateway, demoIngressGatewayPorts } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

const proxyRequests = { requests: { cpu: '10m', memory: '40Mi' } } as const;
const collectorPort = 4317;
const otelCollector = 'opentelemetry-collector.observability.svc.cluster.local';

// Tracing and access-log backends the demo addons (or an OpenTelemetry collector) can serve.
const extensionProviders = [
  { name: 'otel', envoyOtelAls: { service: otelCollector, port: collectorPort } },
  { name: 'skywalking', skywalking: { service: 'tracing.istio-system.svc.cluster.local', port: 11800 } },
  { name: 'otel-tracing', opentelemetry: { port: collectorPort, service: otelCollector } },
  {
    name: 'jaeger',
    opentelemetry: { port: collectorPort, service: 'jaeger-collector.istio-system.svc.cluster.local' },
  },
] as const;

export const demoProfile = {
  name: 'demo',
  description:
    'Showcase: adds an egress gateway, access logs, tracing providers and tiny requests; not for production',
  spec: {
    components: {
      egressGateways: [{ name: ClassicGateway.Egress, enabled: true }],
    },
    meshConfig: {
      accessLogFile: '/dev/stdout',
      extensionProviders,
    },
    values: {
      profile: 'demo',
      global: {
        proxy: { resources: proxyRequests },
        waypoint: { resources: proxyRequests },
      },
      pilot: {
        // One fixed replica and every request traced: a demo wants to see traces, not save capacity.
        autoscaleEnabled: false,
        traceSampling: 100,
        resources: { requests: { cpu: '10m', memory: '100Mi' } },
      },
      cni: { resources: proxyRequests },
      gateways: {
        [ClassicGateway.Ingress]: {
          autoscaleEnabled: false,
          ports: demoIngressGatewayPorts,
          resources: proxyRequests,
        },
        [ClassicGateway.Egress]: {
          autoscaleEnabled: false,
          resources: proxyRequests,
        },
      },
      // Istio's demo values also name ztunnel requests, but its ztunnel chart reads them from the top level, so
      // istioctl never applies them; left out to render what istioctl renders.
    },
  },
} as const satisfies ProfileDefinition;
