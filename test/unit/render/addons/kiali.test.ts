// Kiali: its objects, its Service, and a configuration pointing at the other addons in the mesh namespace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderKiali } from '../../../../src/render/components/addons/index.ts';
import { configYaml, kindNames, servicePorts } from './rendered-objects.ts';
import { renderContext } from './render-context-builder.ts';
import type { Tree } from '../../../../src/render/values.ts';

interface KialiConfig {
  auth: { strategy: string };
  server: { port: number; web_root: string };
  external_services: {
    prometheus: { url: string };
    grafana: { enabled: boolean; internal_url: string };
    tracing: { enabled: boolean; provider: string; internal_url: string; use_grpc: boolean };
    istio: { root_namespace: string };
  };
}

function kialiConfig(namespace: string, meshConfig: Tree = {}): KialiConfig {
  return configYaml(
    renderKiali(renderContext({ namespace, meshConfig })),
    'kiali',
    'config.yaml',
  ) as KialiConfig;
}

describe('renderKiali', () => {
  it('renders its account, config, cluster RBAC, Service and Deployment', () => {
    const component = renderKiali(renderContext({ namespace: 'mesh-system' }));
    assert.deepEqual(kindNames(component), [
      'ClusterRole/kiali-mesh-system',
      'ClusterRoleBinding/kiali-mesh-system',
      'ConfigMap/kiali',
      'Deployment/kiali',
      'Service/kiali',
      'ServiceAccount/kiali',
    ]);
  });

  it('serves the UI on 20001 and its metrics on 9090', () => {
    assert.deepEqual(servicePorts(renderKiali(renderContext()), 'kiali'), [
      'http:20001->20001',
      'http-metrics:9090->9090',
    ]);
  });

  it("reads metrics from the namespace's prometheus and links its grafana and tracing", () => {
    // GIVEN a control plane in mesh-system WHEN Kiali's config is rendered
    const config = kialiConfig('mesh-system');
    // THEN every external service is the addon of that namespace
    assert.equal(config.external_services.prometheus.url, 'http://prometheus.mesh-system:9090');
    assert.equal(config.external_services.grafana.internal_url, 'http://grafana.mesh-system:3000');
    assert.deepEqual(config.external_services.tracing, {
      enabled: true,
      provider: 'jaeger',
      internal_url: 'http://tracing.mesh-system:80/jaeger',
      use_grpc: false,
    });
    assert.equal(config.auth.strategy, 'anonymous');
    assert.equal(config.server.port, 20001);
  });

  it("takes Istio's root namespace from the mesh config, defaulting to the control-plane namespace", () => {
    assert.equal(kialiConfig('mesh-system').external_services.istio.root_namespace, 'mesh-system');
    const custom = kialiConfig('mesh-system', { rootNamespace: 'istio-config' });
    assert.equal(custom.external_services.istio.root_namespace, 'istio-config');
  });
});
