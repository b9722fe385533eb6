// Grafana: its objects, its Service, and provisioning wired to Prometheus and to the dashboards ConfigMap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderGrafana } from '../../../../src/render/components/addons/index.ts';
import { configYaml, find, kindNames, servicePorts } from './rendered-objects.ts';
import { renderContext } from './render-context-builder.ts';

describe('renderGrafana', () => {
  it('renders its account, config, dashboards ConfigMap, Service and Deployment', () => {
    const component = renderGrafana(renderContext({ namespace: 'mesh-system' }));
    assert.deepEqual(kindNames(component), [
      'ConfigMap/grafana',
      'ConfigMap/istio-grafana-dashboards',
      'Deployment/grafana',
      'Service/grafana',
      'ServiceAccount/grafana',
    ]);
  });

  it('serves on 3000 behind the Service grafana', () => {
    assert.deepEqual(servicePorts(renderGrafana(renderContext()), 'grafana'), ['service:3000->3000']);
  });

  it('uses the prometheus Service of its namespace as the default datasource', () => {
    // WHEN Grafana renders THEN its one datasource is Prometheus at the in-namespace Service
    const config = configYaml(renderGrafana(renderContext()), 'grafana', 'datasources.yaml') as {
      datasources: { type: string; url: string; isDefault: boolean }[];
    };
    assert.deepEqual(
      config.datasources.map((d) => [d.type, d.url, d.isDefault]),
      [['prometheus', 'http://prometheus:9090', true]],
    );
  });

  it('loads dashboards from where the dashboards ConfigMap is mounted, without embedding any', () => {
    // GIVEN the rendered Grafana
    const component = renderGrafana(renderContext());
    // WHEN the provider's path and the Deployment's mounts are read
    const providers = configYaml(component, 'grafana', 'dashboardproviders.yaml') as {
      providers: { type: string; options: { path: string } }[];
    };
    const spec = find(component, 'Deployment', 'grafana').spec as {
      template: {
        spec: {
          containers: { volumeMounts: { name: string; mountPath: string }[] }[];
          volumes: { name: string; configMap?: { name: string } }[];
        };
      };
    };
    const mount = spec.template.spec.containers[0]?.volumeMounts.find(
      (m) => m.mountPath === providers.providers[0]?.options.path,
    );
    const volume = spec.template.spec.volumes.find((v) => v.name === mount?.name);
    // THEN the file provider reads the ConfigMap istio-grafana-dashboards, which holds no dashboard JSON
    assert.equal(providers.providers[0]?.type, 'file');
    assert.equal(volume?.configMap?.name, 'istio-grafana-dashboards');
    const data = find(component, 'ConfigMap', 'istio-grafana-dashboards').data as Record<string, string>;
    assert.deepEqual(Object.keys(data), ['README.md']);
  });
});
