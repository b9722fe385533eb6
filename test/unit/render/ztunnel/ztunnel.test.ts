// ztunnel's objects as istioctl renders them for ambient: the account and DaemonSet, the istiod it follows
// (default or revisioned), its placement, and what the openshift and gke platforms add.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderZtunnel } from '../../../../src/render/components/ztunnel/index.ts';
import type { ReadonlyJsonObject } from '../../../../src/tree/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';
import { deepFrozen } from '../addons/render-context-builder.ts';
import {
  daemonSet,
  envValues,
  find,
  objectKeys,
  onlyContainer,
  rules,
  volume,
} from '../cni/daemonset-reads.ts';

const ambient = { profile: 'ambient' };

function ztunnelEnv(spec: ReadonlyJsonObject): Record<string, string> {
  return envValues(onlyContainer(renderZtunnel(contextFor(spec)), 'ztunnel'));
}

describe('renderZtunnel objects', () => {
  it('renders only its ServiceAccount and DaemonSet for ambient', () => {
    // GIVEN the ambient profile WHEN ztunnel is rendered
    const component = renderZtunnel(contextFor(ambient));
    // THEN exactly the two objects istioctl renders, and its k8s settings target the DaemonSet's proxy
    assert.deepEqual(objectKeys(component), [
      'DaemonSet/istio-system/ztunnel',
      'ServiceAccount/istio-system/ztunnel',
    ]);
    assert.equal(component.name, 'ztunnel');
    assert.deepEqual(component.workload, {
      kind: 'DaemonSet',
      name: 'ztunnel',
      namespace: 'istio-system',
      container: 'istio-proxy',
    });
  });

  it('selects its pods by app and keeps them out of the mesh', () => {
    const set = daemonSet(renderZtunnel(contextFor(ambient)), 'ztunnel');
    assert.deepEqual(set.spec.selector.matchLabels, { app: 'ztunnel' });
    const pod = set.spec.template.metadata;
    assert.equal(pod.labels.app, 'ztunnel');
    assert.equal(pod.labels['istio.io/dataplane-mode'], 'none');
    assert.equal(pod.labels['sidecar.istio.io/inject'], 'false');
    assert.equal(pod.annotations['prometheus.io/port'], '15020');
    assert.equal(pod.annotations['istio.io/rev'], undefined);
    assert.equal(set.spec.template.spec.serviceAccountName, 'ztunnel');
  });

  it('runs the distroless ztunnel image with its stats port and readiness on 15021', () => {
    const container = onlyContainer(renderZtunnel(contextFor(ambient)), 'ztunnel');
    assert.equal(container.name, 'istio-proxy');
    assert.equal(container.image, 'docker.io/istio/ztunnel:1.31.0-distroless');
    assert.deepEqual(container.args, ['proxy', 'ztunnel']);
    assert.deepEqual(container.ports, [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }]);
    assert.deepEqual(container.readinessProbe, { httpGet: { port: 15021, path: '/healthz/ready' } });
  });

  it('holds NET_ADMIN, SYS_ADMIN and NET_RAW without being privileged', () => {
    const security = onlyContainer(renderZtunnel(contextFor(ambient)), 'ztunnel').securityContext;
    assert.equal(security.privileged, false);
    assert.deepEqual(security.capabilities, { drop: ['ALL'], add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] });
  });

  it("mounts an istio-ca token, the mesh root cert and the CNI agent's socket dir", () => {
    const component = renderZtunnel(contextFor(ambient));
    assert.deepEqual(volume(component, 'ztunnel', 'istio-token')?.projected, {
      sources: [
        { serviceAccountToken: { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' } },
      ],
    });
    assert.deepEqual(volume(component, 'ztunnel', 'istiod-ca-cert')?.configMap, {
      name: 'istio-ca-root-cert',
    });
    assert.deepEqual(volume(component, 'ztunnel', 'cni-ztunnel-sock-dir')?.hostPath, {
      path: '/var/run/ztunnel',
      type: 'DirectoryOrCreate',
    });
    const mounts = onlyContainer(component, 'ztunnel').volumeMounts.map((m) => `${m.name}:${m.mountPath}`);
    assert.deepEqual(mounts, [
      'istiod-ca-cert:/var/run/secrets/istio',
      'istio-token:/var/run/secrets/tokens',
      'cni-ztunnel-sock-dir:/var/run/ztunnel',
      'tmp:/tmp',
    ]);
  });
});

describe('renderZtunnel control plane', () => {
  it('gets certificates and config from the default istiod', () => {
    const env = ztunnelEnv(ambient);
    assert.equal(env.CA_ADDRESS, 'istiod.istio-system.svc:15012');
    assert.equal(env.XDS_ADDRESS, 'istiod.istio-system.svc:15012');
    assert.equal(env.ISTIO_META_CLUSTER_ID, 'Kubernetes');
    assert.equal(env.ISTIO_META_ENABLE_HBONE, 'true');
  });

  it("follows a revisioned istiod and marks its objects with the revision's annotation", () => {
    // GIVEN a control plane of revision canary
    const component = renderZtunnel(contextFor({ ...ambient, revision: 'canary' }));
    // THEN ztunnel talks to istiod-canary
    const env = envValues(onlyContainer(component, 'ztunnel'));
    assert.equal(env.CA_ADDRESS, 'istiod-canary.istio-system.svc:15012');
    assert.equal(env.XDS_ADDRESS, 'istiod-canary.istio-system.svc:15012');
    // AND its objects keep their names but carry istio.io/rev as an annotation
    const set = daemonSet(component, 'ztunnel');
    assert.equal(set.metadata.annotations?.['istio.io/rev'], 'canary');
    assert.equal(set.spec.template.metadata.annotations['istio.io/rev'], 'canary');
    assert.equal(
      find(component, 'ServiceAccount', 'ztunnel').metadata.annotations?.['istio.io/rev'],
      'canary',
    );
  });

  it('keeps pointing at the control-plane namespace when ztunnel runs elsewhere', () => {
    // GIVEN ztunnel moved to kube-system
    const component = renderZtunnel(
      contextFor({ ...ambient, components: { ztunnel: { namespace: 'kube-system' } } }),
    );
    // THEN its objects are there, but istiod is still looked up in istio-system
    assert.deepEqual(objectKeys(component), [
      'DaemonSet/kube-system/ztunnel',
      'ServiceAccount/kube-system/ztunnel',
    ]);
    assert.equal(component.workload?.namespace, 'kube-system');
    assert.equal(envValues(onlyContainer(component, 'ztunnel')).CA_ADDRESS, 'istiod.istio-system.svc:15012');
  });

  it('takes an explicit CA address from values.global.caAddress', () => {
    const env = ztunnelEnv({ ...ambient, values: { global: { caAddress: 'ca.example.com:15012' } } });
    assert.equal(env.CA_ADDRESS, 'ca.example.com:15012');
    assert.equal(env.XDS_ADDRESS, 'istiod.istio-system.svc:15012');
  });

  it('gets HBONE proxy metadata only from the ambient chart profile', () => {
    // GIVEN ztunnel switched on in the default profile
    const spec = { components: { cni: { enabled: true }, ztunnel: { enabled: true } } };
    // THEN no HBONE metadata, and the image has no variant
    assert.equal(ztunnelEnv(spec).ISTIO_META_ENABLE_HBONE, undefined);
    assert.equal(
      onlyContainer(renderZtunnel(contextFor(spec)), 'ztunnel').image,
      'docker.io/istio/ztunnel:1.31.0',
    );
  });

  it('sizes its worker pool from a CPU limit set through k8s resources', () => {
    const spec = { ...ambient, components: { ztunnel: { k8s: { resources: { limits: { cpu: '2' } } } } } };
    const names = onlyContainer(renderZtunnel(contextFor(spec)), 'ztunnel').env.map((e) => e.name);
    assert.ok(names.includes('ZTUNNEL_RESOURCE_CPU_LIMIT'), names.join(' '));
    assert.ok(names.includes('ZTUNNEL_RESOURCE_CPU_REQUEST'), names.join(' '));
  });
});

describe('renderZtunnel platforms', () => {
  it('on openshift, may use the privileged SCC and runs as spc_t', () => {
    const component = renderZtunnel(
      contextFor({ ...ambient, values: { global: { platform: 'openshift' } } }),
    );
    assert.deepEqual(objectKeys(component), [
      'ClusterRole//ztunnel',
      'ClusterRoleBinding//ztunnel',
      'DaemonSet/istio-system/ztunnel',
      'ServiceAccount/istio-system/ztunnel',
    ]);
    assert.deepEqual(rules(component, 'ztunnel'), [
      {
        apiGroups: ['security.openshift.io'],
        resources: ['securitycontextconstraints'],
        resourceNames: ['privileged'],
        verbs: ['use'],
      },
    ]);
    assert.deepEqual(find(component, 'ClusterRoleBinding', 'ztunnel').subjects, [
      { kind: 'ServiceAccount', name: 'ztunnel', namespace: 'istio-system' },
    ]);
    const security = onlyContainer(component, 'ztunnel').securityContext;
    assert.deepEqual(security.seLinuxOptions, { type: 'spc_t' });
  });

  it('on gke, adds a quota for node-critical pods', () => {
    const component = renderZtunnel(contextFor({ ...ambient, values: { global: { platform: 'gke' } } }));
    const quota = find(component, 'ResourceQuota', 'ztunnel');
    assert.deepEqual(quota.spec, {
      hard: { pods: '5000' },
      scopeSelector: {
        matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }],
      },
    });
  });
});

describe('renderZtunnel options', () => {
  it('admits readiness, metrics, admin, HBONE, redirect and DNS ports when network policies are on', () => {
    const spec = { ...ambient, values: { global: { networkPolicy: { enabled: true } } } };
    const policy = find(renderZtunnel(contextFor(spec)), 'NetworkPolicy', 'ztunnel');
    const ingress = (policy.spec as { ingress: { ports: { protocol: string; port: number }[] }[] }).ingress;
    const ports = ingress.flatMap((rule) => rule.ports.map((p) => `${p.protocol}/${p.port}`));
    assert.deepEqual(ports, [
      'TCP/15021',
      'TCP/15020',
      'TCP/15000',
      'TCP/15008',
      'TCP/15001',
      'TCP/15006',
      'TCP/15053',
      'UDP/15053',
    ]);
  });

  it('names its objects after values.ztunnel.resourceName but keeps selecting app ztunnel', () => {
    const component = renderZtunnel(contextFor({ ...ambient, values: { ztunnel: { resourceName: 'zt' } } }));
    assert.deepEqual(objectKeys(component), ['DaemonSet/istio-system/zt', 'ServiceAccount/istio-system/zt']);
    assert.equal(component.workload?.name, 'zt');
    assert.deepEqual(daemonSet(component, 'zt').spec.selector.matchLabels, { app: 'ztunnel' });
  });

  it('leaves its input unchanged', () => {
    const ctx = contextFor({ ...ambient, values: { global: { platform: 'openshift' } } });
    const frozen = { ...ctx, values: deepFrozen(ctx.values), components: deepFrozen(ctx.components) };
    assert.deepEqual(
      renderZtunnel({ ...frozen, spec: deepFrozen(ctx.spec) }),
      renderZtunnel(contextFor(ctx.spec)),
    );
  });
});
