// The CNI node agent's objects, as istioctl renders them for the ambient profile and for sidecar mode.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderCni } from '../../../../src/render/components/cni/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';
import { deepFrozen } from '../addons/render-context-builder.ts';
import { daemonSet, find, objectKeys, onlyContainer, rules, volume } from './daemonset-reads.ts';

const ambient = { profile: 'ambient' };
const sidecarMode = { components: { cni: { enabled: true } } };

describe('renderCni objects', () => {
  it('renders the ambient agent: account, three roles and bindings, config and DaemonSet', () => {
    // GIVEN the ambient profile WHEN the CNI component is rendered
    const component = renderCni(contextFor(ambient));
    // THEN it holds exactly the objects istioctl renders
    assert.deepEqual(objectKeys(component), [
      'ClusterRole//istio-cni',
      'ClusterRole//istio-cni-ambient',
      'ClusterRole//istio-cni-repair-role',
      'ClusterRoleBinding//istio-cni',
      'ClusterRoleBinding//istio-cni-ambient',
      'ClusterRoleBinding//istio-cni-repair-rolebinding',
      'ConfigMap/istio-system/istio-cni-config',
      'DaemonSet/istio-system/istio-cni-node',
      'ServiceAccount/istio-system/istio-cni',
    ]);
    assert.equal(component.name, 'cni');
    assert.deepEqual(component.workload, {
      kind: 'DaemonSet',
      name: 'istio-cni-node',
      namespace: 'istio-system',
      container: 'install-cni',
    });
  });

  it('leaves the ambient role out in sidecar mode', () => {
    // GIVEN the default profile with the CNI agent switched on WHEN it is rendered
    const component = renderCni(contextFor(sidecarMode));
    // THEN only the agent and repair roles exist, and nothing mounts ztunnel's socket
    assert.deepEqual(objectKeys(component), [
      'ClusterRole//istio-cni',
      'ClusterRole//istio-cni-repair-role',
      'ClusterRoleBinding//istio-cni',
      'ClusterRoleBinding//istio-cni-repair-rolebinding',
      'ConfigMap/istio-system/istio-cni-config',
      'DaemonSet/istio-system/istio-cni-node',
      'ServiceAccount/istio-system/istio-cni',
    ]);
    assert.equal(volume(component, 'istio-cni-node', 'cni-ztunnel-sock-dir'), undefined);
    const mounts = onlyContainer(component, 'istio-cni-node').volumeMounts.map((m) => m.name);
    assert.deepEqual(mounts, ['cni-bin-dir', 'cni-host-procfs', 'cni-net-dir', 'cni-socket-dir']);
  });

  it('grants the ambient role pod status updates and a read of its own DaemonSet only', () => {
    assert.deepEqual(rules(renderCni(contextFor(ambient)), 'istio-cni-ambient'), [
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
      { apiGroups: ['apps'], resources: ['daemonsets'], resourceNames: ['istio-cni-node'], verbs: ['get'] },
    ]);
  });

  it('binds every role to the agent account in its namespace', () => {
    const component = renderCni(contextFor(ambient));
    for (const name of ['istio-cni', 'istio-cni-ambient', 'istio-cni-repair-rolebinding']) {
      const binding = find(component, 'ClusterRoleBinding', name);
      assert.deepEqual(binding.subjects, [
        { kind: 'ServiceAccount', name: 'istio-cni', namespace: 'istio-system' },
      ]);
    }
  });

  it('gives repair the right to delete broken pods only when told to delete them', () => {
    // GIVEN repair that deletes pods instead of repairing them in place
    const spec = { ...sidecarMode, values: { cni: { repair: { repairPods: false, deletePods: true } } } };
    // WHEN rendered THEN the repair role adds pod deletion
    const repair = rules(renderCni(contextFor(spec)), 'istio-cni-repair-role');
    assert.deepEqual(repair.at(-1), { apiGroups: [''], resources: ['pods'], verbs: ['delete'] });
    // AND the in-place default needs no more than events and pod reads
    assert.equal(rules(renderCni(contextFor(sidecarMode)), 'istio-cni-repair-role').length, 2);
  });

  it('renders no repair role when repair is off', () => {
    const spec = { ...sidecarMode, values: { cni: { repair: { enabled: false } } } };
    const keys = objectKeys(renderCni(contextFor(spec)));
    assert.ok(!keys.some((k) => k.includes('repair')), keys.join(' '));
  });
});

describe('renderCni config map', () => {
  it('carries the agent settings istioctl renders for ambient', () => {
    // GIVEN the ambient profile WHEN the agent's ConfigMap is rendered
    const data = find(renderCni(contextFor(ambient)), 'ConfigMap', 'istio-cni-config').data as Record<
      string,
      string
    >;
    // THEN it has exactly these keys and values (the selectors are checked apart)
    const { AMBIENT_ENABLEMENT_SELECTOR: selectors, ...rest } = data;
    assert.deepEqual(rest, {
      CURRENT_AGENT_VERSION: '1.31.0',
      AMBIENT_ENABLED: 'true',
      AMBIENT_DNS_CAPTURE: 'true',
      AMBIENT_IPV6: 'true',
      AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: 'true',
      ENABLE_AMBIENT_DETECTION_RETRY: 'false',
      ISTIO_OWNED_CNI_CONFIG: 'false',
      CHAINED_CNI_PLUGIN: 'true',
      EXCLUDE_NAMESPACES: 'kube-system',
      REPAIR_ENABLED: 'true',
      REPAIR_LABEL_PODS: 'false',
      REPAIR_DELETE_PODS: 'false',
      REPAIR_REPAIR_PODS: 'true',
      REPAIR_INIT_CONTAINER_NAME: 'istio-validation',
      REPAIR_BROKEN_POD_LABEL_KEY: 'cni.istio.io/uninitialized',
      REPAIR_BROKEN_POD_LABEL_VALUE: 'true',
      NATIVE_NFTABLES: 'false',
    });
    // AND the selectors capture labelled pods, and pods of labelled namespaces unless they opt out
    assert.deepEqual(parse(selectors ?? ''), [
      { podSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } } },
      {
        namespaceSelector: { matchLabels: { 'istio.io/dataplane-mode': 'ambient' } },
        podSelector: {
          matchExpressions: [{ key: 'istio.io/dataplane-mode', operator: 'NotIn', values: ['none'] }],
        },
      },
    ]);
  });

  it('reports ambient off in sidecar mode and adds user env as strings', () => {
    const spec = { ...sidecarMode, values: { cni: { env: { EXTRA_FLAG: 7 } } } };
    const data = find(renderCni(contextFor(spec)), 'ConfigMap', 'istio-cni-config').data as Record<
      string,
      string
    >;
    assert.equal(data.AMBIENT_ENABLED, 'false');
    assert.equal(data.EXTRA_FLAG, '7');
    assert.equal(data.CNI_CONF_NAME, undefined);
  });

  it('restores the pre-1.29 startup behaviour for compatibilityVersion 1.25', () => {
    // GIVEN ambient pinned to 1.25 behaviour
    const component = renderCni(contextFor({ ...ambient, compatibilityVersion: '1.25' }));
    // THEN rules are not reconciled at startup and the agent shares the host network
    const data = find(component, 'ConfigMap', 'istio-cni-config').data as Record<string, string>;
    assert.equal(data.AMBIENT_RECONCILE_POD_RULES_ON_STARTUP, 'false');
    assert.equal(daemonSet(component, 'istio-cni-node').spec.template.spec.hostNetwork, true);
  });
});

describe('renderCni options', () => {
  it('renders only the cluster-scoped half for resourceScope cluster', () => {
    const spec = { ...ambient, values: { global: { resourceScope: 'cluster' } } };
    const keys = objectKeys(renderCni(contextFor(spec)));
    assert.ok(keys.length > 0);
    assert.ok(
      keys.every((k) => k.startsWith('Cluster')),
      keys.join(' '),
    );
  });

  it('admits only metrics and readiness traffic when network policies are on', () => {
    const spec = { ...ambient, revision: 'canary', values: { global: { networkPolicy: { enabled: true } } } };
    const policy = find(renderCni(contextFor(spec)), 'NetworkPolicy', 'istio-cni-canary');
    assert.deepEqual(policy.spec, {
      podSelector: { matchLabels: { 'k8s-app': 'istio-cni-node' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 15014 }] }, { ports: [{ protocol: 'TCP', port: 8000 }] }],
      egress: [{}],
    });
  });

  it('leaves its input unchanged', () => {
    // GIVEN a context whose spec trees are frozen
    const ctx = contextFor({ ...ambient, values: { global: { platform: 'openshift' } } });
    const frozen = { ...ctx, values: deepFrozen(ctx.values), components: deepFrozen(ctx.components) };
    // WHEN rendered THEN nothing throws and the result is the same as from the unfrozen context
    assert.deepEqual(renderCni({ ...frozen, spec: deepFrozen(ctx.spec) }), renderCni(contextFor(ctx.spec)));
  });
});
