// istiod as istioctl 1.31.0 renders it (expected values below were read from `istioctl manifest generate`
// of the same release): names, selectors, the discovery container, the mesh and injector configuration,
// scaling, revisions and the remote profile.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../../../src/kube/index.ts';
import { renderPilot } from '../../../../src/render/components/istiod/index.ts';
import type { ReadonlyJsonObject } from '../../../../src/tree/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';

interface Container {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value?: string }[];
  resources: unknown;
}

function pilot(spec: ReadonlyJsonObject = {}): KubeObject[] {
  return renderPilot(contextFor(spec)).objects;
}
function names(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort();
}
function find(objects: KubeObject[], kind: string, name: string): Record<string, unknown> {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind}/${name} rendered`);
  return found;
}
function deployment(objects: KubeObject[], name = 'istiod') {
  return find(objects, 'Deployment', name) as {
    spec: {
      replicas?: number;
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    };
  };
}
function configData(objects: KubeObject[], name: string): Record<string, string> {
  return (find(objects, 'ConfigMap', name) as { data: Record<string, string> }).data;
}

describe('renderPilot', () => {
  it('renders the objects istioctl renders for the default profile', () => {
    // GIVEN the default profile WHEN pilot renders THEN the same kinds and names as istioctl come out
    assert.deepEqual(names(pilot()), [
      'ClusterRole/istio-reader-clusterrole-istio-system',
      'ClusterRole/istiod-clusterrole-istio-system',
      'ClusterRole/istiod-gateway-controller-istio-system',
      'ClusterRoleBinding/istio-reader-clusterrole-istio-system',
      'ClusterRoleBinding/istiod-clusterrole-istio-system',
      'ClusterRoleBinding/istiod-gateway-controller-istio-system',
      'ConfigMap/istio',
      'ConfigMap/istio-sidecar-injector',
      'ConfigMap/values',
      'Deployment/istiod',
      'HorizontalPodAutoscaler/istiod',
      'Role/istiod',
      'RoleBinding/istiod',
      'Service/istiod',
      'ServiceAccount/istiod',
    ]);
  });

  it('runs the discovery container with the image, arguments and environment of the release', () => {
    const d = deployment(pilot());
    assert.deepEqual(d.spec.selector.matchLabels, { istio: 'pilot' });
    assert.equal(d.spec.replicas, undefined, 'the HPA owns replicas');
    const [c] = d.spec.template.spec.containers;
    assert.ok(c);
    assert.equal(c.image, 'docker.io/istio/pilot:1.31.0');
    assert.deepEqual(c.args, [
      'discovery',
      '--monitoringAddr=:15014',
      '--log_output_level=default:info',
      '--domain',
      'cluster.local',
      '--keepaliveMaxServerConnectionAge',
      '30m',
    ]);
    assert.deepEqual(
      c.env.map((e) => `${e.name}=${e.value ?? '<ref>'}`),
      [
        'REVISION=default',
        'PILOT_CERT_PROVIDER=istiod',
        'POD_NAME=<ref>',
        'POD_NAMESPACE=<ref>',
        'SERVICE_ACCOUNT=<ref>',
        'KUBECONFIG=/var/run/secrets/remote/config',
        'CA_TRUSTED_NODE_ACCOUNTS=istio-system/ztunnel',
        'PILOT_TRACE_SAMPLING=1',
        'PILOT_ENABLE_ANALYSIS=false',
        'CLUSTER_ID=Kubernetes',
        'GOMAXPROCS=<ref>',
        'PLATFORM=',
      ],
    );
    assert.deepEqual(c.resources, { requests: { cpu: '500m', memory: '2048Mi' } });
  });

  it('writes the same mesh configuration as istioctl, byte for byte', () => {
    assert.equal(
      configData(pilot(), 'istio').mesh,
      [
        'defaultConfig:',
        '  discoveryAddress: istiod.istio-system.svc:15012',
        'defaultProviders:',
        '  metrics:',
        '  - prometheus',
        'enablePrometheusMerge: true',
        'rootNamespace: istio-system',
        'trustDomain: cluster.local',
      ].join('\n'),
    );
    assert.equal(configData(pilot(), 'istio').meshNetworks, 'networks: {}');
  });

  it("lets the user's meshConfig win over istiod's defaults (demo: access log and tracing providers)", () => {
    const mesh = parse(configData(pilot({ profile: 'demo' }), 'istio').mesh ?? '') as Record<string, unknown>;
    assert.equal(mesh.accessLogFile, '/dev/stdout');
    const providers = mesh.extensionProviders as { name: string }[];
    assert.deepEqual(
      providers.map((p) => p.name),
      ['otel', 'skywalking', 'otel-tracing', 'jaeger'],
    );
    const env = deployment(pilot({ profile: 'demo' })).spec.template.spec.containers[0]?.env ?? [];
    assert.equal(env.find((e) => e.name === 'PILOT_TRACE_SAMPLING')?.value, '100');
  });

  it('gives the injector every template of the release and the values they read', () => {
    const data = configData(pilot(), 'istio-sidecar-injector');
    const config = parse(data.config ?? '') as {
      defaultTemplates: string[];
      policy: string;
      templates: object;
    };
    assert.deepEqual(config.defaultTemplates, ['sidecar']);
    assert.equal(config.policy, 'enabled');
    assert.deepEqual(Object.keys(config.templates), [
      'sidecar',
      'gateway',
      'grpc-simple',
      'grpc-agent',
      'waypoint',
      'kube-gateway',
      'agentgateway',
      'agentgateway-waypoint',
    ]);
    const values = JSON.parse(data.values ?? '') as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(values), [
      'gateways',
      'global',
      'pilot',
      'revision',
      'sidecarInjectorWebhook',
    ]);
    const global = values.global ?? {};
    assert.equal(global.hub, 'docker.io/istio');
    assert.equal(global.tag, '1.31.0');
    assert.deepEqual(values.pilot, { cni: { enabled: false, provider: 'default' }, env: {} });
  });

  it('renders a revisioned control plane beside the default one without sharing a name or selector', () => {
    const objects = pilot({ revision: 'canary' });
    const d = deployment(objects, 'istiod-canary');
    assert.deepEqual(d.spec.selector.matchLabels, { app: 'istiod', 'istio.io/rev': 'canary' });
    assert.equal(d.spec.template.metadata.labels.istio, 'istiod');
    const service = find(objects, 'Service', 'istiod-canary') as { spec: { selector: object } };
    assert.deepEqual(service.spec.selector, { app: 'istiod', 'istio.io/rev': 'canary' });
    assert.match(
      configData(objects, 'istio-canary').mesh ?? '',
      /discoveryAddress: istiod-canary\.istio-system\.svc:15012/,
    );
    assert.ok(names(objects).includes('ClusterRole/istiod-clusterrole-canary-istio-system'));
    assert.ok(names(objects).includes('ConfigMap/istio-sidecar-injector-canary'));
  });

  it('adds a PDB only when more than one replica is wanted', () => {
    assert.ok(!names(pilot()).some((n) => n.startsWith('PodDisruptionBudget/')));
    const objects = pilot({ revision: 'canary', values: { pilot: { autoscaleMin: 2 } } });
    const pdb = find(objects, 'PodDisruptionBudget', 'istiod-canary') as { spec: object };
    assert.deepEqual(pdb.spec, {
      minAvailable: 1,
      selector: { matchLabels: { app: 'istiod', 'istio.io/rev': 'canary' } },
    });
  });

  it('sets replicas and drops the HPA when autoscaling is off', () => {
    const objects = pilot({ values: { pilot: { autoscaleEnabled: false, replicaCount: 3 } } });
    assert.equal(deployment(objects).spec.replicas, 3);
    assert.ok(!names(objects).includes('HorizontalPodAutoscaler/istiod'));
    assert.ok(names(objects).includes('PodDisruptionBudget/istiod'));
  });

  it("renders the distroless variant into the image and the proxies' image type", () => {
    const objects = pilot({ values: { global: { variant: 'distroless' } } });
    assert.equal(
      deployment(objects).spec.template.spec.containers[0]?.image,
      'docker.io/istio/pilot:1.31.0-distroless',
    );
    const mesh = parse(configData(objects, 'istio').mesh ?? '') as { defaultConfig: { image?: object } };
    assert.deepEqual(mesh.defaultConfig.image, { imageType: 'distroless' });
  });

  it('renders only the reader role and the values record on a remote cluster', () => {
    const component = renderPilot(contextFor({ profile: 'remote' }));
    assert.deepEqual(names(component.objects), [
      'ClusterRole/istio-reader-clusterrole-istio-system',
      'ClusterRoleBinding/istio-reader-clusterrole-istio-system',
      'ConfigMap/values',
    ]);
    assert.equal(component.workload, undefined);
  });
});
