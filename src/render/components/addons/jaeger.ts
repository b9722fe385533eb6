// Jaeger v2 all-in-one: one process that receives spans (OTLP, Jaeger and Zipkin protocols), keeps them in
// memory and serves the query UI under /jaeger. Services: `tracing` (UI and query API, what Kiali reads),
// `zipkin` (so proxies configured for Zipkin report here too) and `jaeger-collector` (every ingest port; the demo
// profile's OpenTelemetry tracing provider sends to its port 4317).
import { stringify } from 'yaml';
import type { KubeObject } from '../../../objects/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { addonImages } from './addon-images.ts';
import type { AddonMeta, Labels, ServicePort } from './addon-objects.ts';
import {
  clusterIpService,
  configMap,
  containerPort,
  deployment,
  httpProbe,
  noInjection,
} from './addon-objects.ts';

const name = 'jaeger';
const labels: Labels = { app: name };
const selector: Labels = { app: name };
const configDir = '/jaeger-configuration';

/** Every port the all-in-one listens on: one table for the config, the container and the Services. */
const ports = {
  queryHttp: 16686,
  queryGrpc: 16685,
  zipkin: 9411,
  otlpGrpc: 4317,
  otlpHttp: 4318,
  jaegerGrpc: 14250,
  jaegerThriftHttp: 14268,
  health: 13133,
  metrics: 8888,
} as const;

/** Collector components default to localhost; in a pod they must listen on every interface. */
function listen(port: number): { endpoint: string } {
  return { endpoint: `0.0.0.0:${port}` };
}

function jaegerExtensions(): Record<string, unknown> {
  return {
    healthcheckv2: { use_v2: true, http: listen(ports.health) },
    // In memory and bounded: quick-start storage that a restart empties.
    jaeger_storage: { backends: { memstore: { memory: { max_traces: 100000 } } } },
    jaeger_query: {
      base_path: '/jaeger',
      storage: { traces: 'memstore' },
      http: listen(ports.queryHttp),
      grpc: listen(ports.queryGrpc),
    },
  };
}

function jaegerReceivers(): Record<string, unknown> {
  return {
    otlp: { protocols: { grpc: listen(ports.otlpGrpc), http: listen(ports.otlpHttp) } },
    jaeger: {
      protocols: { grpc: listen(ports.jaegerGrpc), thrift_http: listen(ports.jaegerThriftHttp) },
    },
    zipkin: listen(ports.zipkin),
  };
}

function jaegerTelemetry(): Record<string, unknown> {
  const prometheus = { host: '0.0.0.0', port: ports.metrics };
  return {
    resource: { 'service.name': name },
    metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus } } }] },
    logs: { level: 'info' },
  };
}

export function jaegerConfig(): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: {
        traces: {
          receivers: ['otlp', 'jaeger', 'zipkin'],
          processors: ['batch'],
          exporters: ['jaeger_storage_exporter'],
        },
      },
      telemetry: jaegerTelemetry(),
    },
    extensions: jaegerExtensions(),
    receivers: jaegerReceivers(),
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'memstore' } },
  };
}

function jaegerContainer(): Record<string, unknown> {
  return {
    name,
    image: addonImages.jaeger,
    args: ['--config', `${configDir}/config.yaml`],
    ports: [
      containerPort('http-query', ports.queryHttp),
      containerPort('grpc-query', ports.queryGrpc),
      containerPort('http-zipkin', ports.zipkin),
      containerPort('grpc-otel', ports.otlpGrpc),
      containerPort('http-otel', ports.otlpHttp),
      containerPort('grpc-jaeger', ports.jaegerGrpc),
      containerPort('http-jaeger', ports.jaegerThriftHttp),
      containerPort('http-health', ports.health),
      containerPort('http-metrics', ports.metrics),
    ],
    readinessProbe: httpProbe('/status', ports.health),
    livenessProbe: httpProbe('/status', ports.health),
    resources: { requests: { cpu: '10m' } },
    volumeMounts: [{ name: 'jaeger-configuration', mountPath: configDir }],
  };
}

function jaegerDeployment(meta: AddonMeta): KubeObject {
  return deployment(meta, selector, {
    labels: { ...labels, ...noInjection },
    annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(ports.metrics) },
    spec: {
      containers: [jaegerContainer()],
      volumes: [{ name: 'jaeger-configuration', configMap: { name } }],
    },
  });
}

const collectorPorts: readonly ServicePort[] = [
  { name: 'jaeger-collector-http', port: ports.jaegerThriftHttp },
  { name: 'jaeger-collector-grpc', port: ports.jaegerGrpc },
  { name: 'http-zipkin', port: ports.zipkin },
  { name: 'grpc-otel', port: ports.otlpGrpc },
  { name: 'http-otel', port: ports.otlpHttp },
];

function jaegerServices(namespace: string): KubeObject[] {
  const meta = (serviceName: string, extra: Labels = {}): AddonMeta => ({
    name: serviceName,
    namespace,
    labels: { ...labels, ...extra },
  });
  return [
    clusterIpService(meta('tracing'), selector, [
      { name: 'http-query', port: 80, targetPort: ports.queryHttp },
      { name: 'grpc-query', port: ports.queryGrpc },
    ]),
    clusterIpService(meta('zipkin', { name: 'zipkin' }), selector, [
      { name: 'http-query', port: ports.zipkin },
    ]),
    clusterIpService(meta('jaeger-collector'), selector, collectorPorts),
  ];
}

export function renderJaeger(ctx: RenderContext): RenderedComponent {
  const meta: AddonMeta = { name, namespace: ctx.namespace, labels };
  const config = stringify(jaegerConfig(), { lineWidth: 0 });
  const objects: KubeObject[] = [
    configMap(meta, { 'config.yaml': config }),
    jaegerDeployment(meta),
    ...jaegerServices(ctx.namespace),
  ];
  return {
    name: ComponentName.Jaeger,
    objects,
    workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: name },
  };
}
