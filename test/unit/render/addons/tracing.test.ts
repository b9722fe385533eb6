// Jaeger and Zipkin: the tracers proxies report to, each behind the Service names Istio's samples use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderJaeger, renderZipkin } from '../../../../src/render/components/addons/index.ts';
import { configYaml, containers, kindNames, servicePorts } from './rendered-objects.ts';
import { renderContext } from './render-context-builder.ts';

interface JaegerConfig {
  receivers: { zipkin: { endpoint: string }; otlp: { protocols: { grpc: { endpoint: string } } } };
  extensions: { jaeger_query: { base_path: string; http: { endpoint: string } } };
  service: { pipelines: { traces: { receivers: string[] } } };
}

describe('renderJaeger', () => {
  it('renders the all-in-one Deployment, its config and the tracing, zipkin and collector Services', () => {
    assert.deepEqual(kindNames(renderJaeger(renderContext({ namespace: 'mesh-system' }))), [
      'ConfigMap/jaeger',
      'Deployment/jaeger',
      'Service/jaeger-collector',
      'Service/tracing',
      'Service/zipkin',
    ]);
  });

  it('exposes the query UI on tracing:80, zipkin on 9411 and every ingest port on jaeger-collector', () => {
    const component = renderJaeger(renderContext());
    assert.deepEqual(servicePorts(component, 'tracing'), ['http-query:80->16686', 'grpc-query:16685->16685']);
    assert.deepEqual(servicePorts(component, 'zipkin'), ['http-query:9411->9411']);
    assert.deepEqual(servicePorts(component, 'jaeger-collector'), [
      'jaeger-collector-http:14268->14268',
      'jaeger-collector-grpc:14250->14250',
      'http-zipkin:9411->9411',
      'grpc-otel:4317->4317',
      'http-otel:4318->4318',
    ]);
  });

  it('receives Zipkin and OTLP spans on all interfaces and serves the UI under /jaeger', () => {
    // GIVEN the rendered Jaeger WHEN its config is parsed
    const component = renderJaeger(renderContext());
    const config = configYaml(component, 'jaeger', 'config.yaml') as JaegerConfig;
    // THEN the ports the Services target are the ports it listens on
    assert.equal(config.receivers.zipkin.endpoint, '0.0.0.0:9411');
    assert.equal(config.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
    assert.equal(config.extensions.jaeger_query.http.endpoint, '0.0.0.0:16686');
    assert.equal(config.extensions.jaeger_query.base_path, '/jaeger');
    assert.deepEqual(config.service.pipelines.traces.receivers, ['otlp', 'jaeger', 'zipkin']);
    assert.deepEqual(containers(component, 'jaeger')[0]?.args, [
      '--config',
      '/jaeger-configuration/config.yaml',
    ]);
  });
});

describe('renderZipkin', () => {
  it('renders its Deployment and takes over the tracing and zipkin Service names', () => {
    const component = renderZipkin(renderContext({ namespace: 'mesh-system' }));
    assert.deepEqual(kindNames(component), ['Deployment/zipkin', 'Service/tracing', 'Service/zipkin']);
    assert.deepEqual(servicePorts(component, 'tracing'), ['http-query:80->9411']);
    assert.deepEqual(servicePorts(component, 'zipkin'), ['http-query:9411->9411']);
    assert.equal(containers(component, 'zipkin')[0]?.image, 'docker.io/openzipkin/zipkin-slim:3.4.0');
  });
});
