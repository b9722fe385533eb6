// The gateway's Deployment: selectors that match its pods and Service, and the proxy container istiod expects.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentOf,
  envValue,
  includesLabels,
  proxyOf,
  renderFor,
  serviceOf,
  volume,
} from './gateway-fixtures.ts';

describe('renderGateway: labels and selectors', () => {
  it('selects with the gateway labels, carried by its pods and used by its Service', () => {
    // GIVEN the default profile WHEN the ingress gateway is rendered
    const component = renderFor();
    const deployment = deploymentOf(component);
    const selector = deployment.spec.selector.matchLabels;
    // THEN the selector is app + istio, as istioctl's (so an istioctl-made Deployment can be taken over)
    assert.deepEqual(selector, { app: 'istio-ingressgateway', istio: 'ingressgateway' });
    // AND the pods carry it, and the Service selects the same labels
    assert.ok(includesLabels(deployment.spec.template.metadata.labels, selector));
    assert.deepEqual(serviceOf(component).spec.selector, selector);
  });

  it('keeps the pods out of injection and ambient, and labels their revision', () => {
    // GIVEN the default profile WHEN rendered
    const pod = deploymentOf(renderFor()).spec.template.metadata;
    // THEN the pod labels and annotations say so
    assert.ok(
      includesLabels(pod.labels, {
        'sidecar.istio.io/inject': 'false',
        'istio.io/dataplane-mode': 'none',
        'istio.io/rev': 'default',
        'operator.istio.io/component': 'IngressGateways',
        'service.istio.io/canonical-name': 'istio-ingressgateway',
        'service.istio.io/canonical-revision': 'latest',
      }),
    );
    assert.deepEqual(pod.annotations, {
      'istio.io/rev': 'default',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/stats/prometheus',
      'sidecar.istio.io/inject': 'false',
    });
  });
});

describe('renderGateway: the proxy container', () => {
  it('runs proxyv2 of the release as a router', () => {
    // GIVEN the default profile WHEN rendered
    const proxy = proxyOf(renderFor());
    // THEN the image is the release's proxyv2, the args start the agent in router mode
    assert.equal(proxy.image, 'docker.io/istio/proxyv2:1.31.0');
    assert.deepEqual(proxy.args, [
      'proxy',
      'router',
      '--domain',
      '$(POD_NAMESPACE).svc.cluster.local',
      '--proxyLogLevel=warning',
      '--proxyComponentLogLevel=misc:error',
      '--log_output_level=default:info',
    ]);
  });

  it('listens on the target ports of its Service ports and serves Envoy metrics on 15090', () => {
    // GIVEN the default profile WHEN rendered
    const ports = proxyOf(renderFor()).ports;
    // THEN each Service port's target is a container port, plus the Prometheus port
    assert.deepEqual(
      ports.map((p) => p.containerPort),
      [15021, 8080, 8443, 15090],
    );
    assert.equal(ports.at(-1)?.name, 'http-envoy-prom');
  });

  it('is ready when the agent says so on the status port', () => {
    // GIVEN the default profile WHEN rendered THEN the probe is GET /healthz/ready on 15021
    assert.deepEqual(proxyOf(renderFor()).readinessProbe.httpGet, {
      path: '/healthz/ready',
      port: 15021,
      scheme: 'HTTP',
    });
  });

  it('finds the CA and names its workload, owner, mesh and cluster in its environment', () => {
    // GIVEN the default profile WHEN rendered
    const component = renderFor();
    // THEN the agent's identity and control-plane address are set
    assert.equal(envValue(component, 'PILOT_CERT_PROVIDER'), 'istiod');
    assert.equal(envValue(component, 'CA_ADDR'), 'istiod.istio-system.svc:15012');
    assert.equal(envValue(component, 'ISTIO_META_WORKLOAD_NAME'), 'istio-ingressgateway');
    assert.equal(
      envValue(component, 'ISTIO_META_OWNER'),
      'kubernetes://apis/apps/v1/namespaces/istio-system/deployments/istio-ingressgateway',
    );
    assert.equal(envValue(component, 'ISTIO_META_MESH_ID'), 'cluster.local');
    assert.equal(envValue(component, 'TRUST_DOMAIN'), 'cluster.local');
    assert.equal(envValue(component, 'ISTIO_META_CLUSTER_ID'), 'Kubernetes');
    assert.equal(envValue(component, 'ISTIO_META_UNPRIVILEGED_POD'), 'true');
    const fromPod = proxyOf(component)
      .env.filter((e) => e.valueFrom !== undefined)
      .map((e) => e.name);
    assert.deepEqual(fromPod, [
      'NODE_NAME',
      'POD_NAME',
      'POD_NAMESPACE',
      'INSTANCE_IP',
      'HOST_IP',
      'ISTIO_CPU_LIMIT',
      'SERVICE_ACCOUNT',
      'ISTIO_META_NODE_NAME',
    ]);
  });

  it("adds the values' env and the mesh's proxy metadata, sorted by name", () => {
    // GIVEN gateway env and proxy metadata in the spec
    const spec = {
      meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } },
      values: { gateways: { 'istio-ingressgateway': { env: { ZETA: 'z', ALPHA: 1 } } } },
    };
    // WHEN rendered
    const env = proxyOf(renderFor(spec)).env.map((e) => `${e.name}=${e.value ?? ''}`);
    // THEN both appear, the numbers as text, in sorted order after the built-in variables
    const start = env.indexOf('ALPHA=1');
    assert.deepEqual(env.slice(start, start + 3), ['ALPHA=1', 'ZETA=z', 'ISTIO_META_DNS_CAPTURE=true']);
  });

  it('runs unprivileged as the proxy user, with a read-only root file system', () => {
    // GIVEN the default profile WHEN rendered
    const deployment = deploymentOf(renderFor());
    // THEN the pod runs as 1337 and the container drops every capability
    assert.deepEqual(deployment.spec.template.spec.securityContext, {
      runAsUser: 1337,
      runAsGroup: 1337,
      runAsNonRoot: true,
    });
    assert.deepEqual(deployment.spec.template.spec.containers[0]?.securityContext, {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
    });
  });

  it('leaves the user and group to OpenShift', () => {
    // GIVEN the openshift profile WHEN rendered THEN the pod only asks not to run as root
    const deployment = deploymentOf(renderFor({ profile: 'openshift' }));
    assert.deepEqual(deployment.spec.template.spec.securityContext, { runAsNonRoot: true });
  });

  it('requests 100m/128Mi by default and 10m/40Mi in demo, keeping the limits', () => {
    // GIVEN the default and demo profiles WHEN rendered
    const byDefault = proxyOf(renderFor()).resources;
    const demo = proxyOf(renderFor({ profile: 'demo' })).resources;
    // THEN demo changes only the requests
    const limits = { cpu: '2000m', memory: '1024Mi' };
    assert.deepEqual(byDefault, { limits, requests: { cpu: '100m', memory: '128Mi' } });
    assert.deepEqual(demo, { limits, requests: { cpu: '10m', memory: '40Mi' } });
  });

  it('mounts a token for the CA, the root certificate and the mesh config', () => {
    // GIVEN the default profile WHEN rendered
    const component = renderFor();
    // THEN the token's audience is istio-ca and the config maps are those istiod publishes
    const token = volume(component, 'istio-token').projected?.sources[0]?.serviceAccountToken;
    assert.deepEqual(token, { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' });
    assert.equal(volume(component, 'istiod-ca-cert').configMap?.name, 'istio-ca-root-cert');
    assert.equal(volume(component, 'config-volume').configMap?.name, 'istio');
    const names = deploymentOf(component).spec.template.spec.volumes.map((v) => v.name);
    for (const scratch of [
      'workload-socket',
      'credential-socket',
      'workload-certs',
      'istio-envoy',
      'istio-data',
    ]) {
      assert.ok(volume(component, scratch).emptyDir, `${scratch} is an emptyDir`);
    }
    assert.ok(names.includes('podinfo'));
    const mounts = proxyOf(component).volumeMounts.map((m) => m.name);
    assert.deepEqual([...mounts].sort(), [...names].sort(), 'every volume is mounted');
  });

  it("appends the image variant and takes the spec's hub and tag", () => {
    // GIVEN a hub, a tag and the distroless variant in the spec WHEN rendered
    const spec = { hub: 'registry.example', tag: '1.2.3', values: { global: { variant: 'distroless' } } };
    // THEN the image is made of them
    assert.equal(proxyOf(renderFor(spec)).image, 'registry.example/proxyv2:1.2.3-distroless');
  });
});

describe('renderGateway: revisions', () => {
  it('points a canary-revision gateway at istiod-canary and its mesh config, keeping its selector', () => {
    // GIVEN the default profile with revision canary WHEN the ingress gateway is rendered
    const component = renderFor({ revision: 'canary' });
    const deployment = deploymentOf(component);
    // THEN the agent talks to istiod-canary and reads the revision's mesh config
    assert.equal(envValue(component, 'CA_ADDR'), 'istiod-canary.istio-system.svc:15012');
    assert.equal(volume(component, 'config-volume').configMap?.name, 'istio-canary');
    // AND the objects carry istio.io/rev=canary
    assert.equal(deployment.metadata.labels['istio.io/rev'], 'canary');
    assert.equal(deployment.spec.template.metadata.labels['istio.io/rev'], 'canary');
    assert.equal(deployment.spec.template.metadata.labels['service.istio.io/canonical-revision'], 'canary');
    assert.equal(serviceOf(component).metadata.labels['istio.io/rev'], 'canary');
    assert.equal(component.revision, 'canary');
    // AND the name and selector stay those of the unrevisioned gateway, so it is upgraded in place
    assert.equal(deployment.metadata.name, 'istio-ingressgateway');
    assert.deepEqual(deployment.spec.selector.matchLabels, {
      app: 'istio-ingressgateway',
      istio: 'ingressgateway',
    });
  });

  it('uses a configured CA address over the revision-derived one', () => {
    // GIVEN global.caAddress WHEN rendered THEN CA_ADDR is it
    const spec = { revision: 'canary', values: { global: { caAddress: 'ca.example:15012' } } };
    assert.equal(envValue(renderFor(spec), 'CA_ADDR'), 'ca.example:15012');
  });
});
