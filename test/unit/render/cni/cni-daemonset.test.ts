// The CNI agent's DaemonSet and where its objects go: selectors and labels, image, privileges, host paths,
// namespace and revision, and what the openshift and gke platforms change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderCni } from '../../../../src/render/components/cni/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';
import { daemonSet, find, objectKeys, onlyContainer, rules, volume } from './daemonset-reads.ts';

const ambient = { profile: 'ambient' };
const ds = 'istio-cni-node';

describe('renderCni DaemonSet', () => {
  it('selects its pods by k8s-app and keeps them out of the mesh', () => {
    // GIVEN the ambient profile WHEN the DaemonSet is rendered
    const set = daemonSet(renderCni(contextFor(ambient)), ds);
    // THEN the selector is the one label Istio uses, and the pods carry it
    assert.deepEqual(set.spec.selector.matchLabels, { 'k8s-app': 'istio-cni-node' });
    const pod = set.spec.template.metadata;
    assert.equal(pod.labels['k8s-app'], 'istio-cni-node');
    assert.equal(pod.labels['sidecar.istio.io/inject'], 'false');
    assert.equal(pod.labels['istio.io/dataplane-mode'], 'none');
    assert.equal(pod.annotations['prometheus.io/port'], '15014');
    assert.equal(pod.annotations['container.apparmor.security.beta.kubernetes.io/install-cni'], 'unconfined');
    // AND the DaemonSet itself is labelled as Istio's Cni component of the default revision
    const labels = set.metadata.labels ?? {};
    assert.equal(labels['operator.istio.io/component'], 'Cni');
    assert.equal(labels['istio.io/rev'], 'default');
    assert.equal(set.spec.template.spec.serviceAccountName, 'istio-cni');
  });

  it('runs install-cni from the release image, with its metrics port and readiness probe', () => {
    const container = onlyContainer(renderCni(contextFor(ambient)), ds);
    assert.equal(container.name, 'install-cni');
    assert.equal(container.image, 'docker.io/istio/install-cni:1.31.0-distroless');
    assert.deepEqual(container.ports, [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }]);
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/readyz', port: 8000 } });
    assert.deepEqual(container.args, ['--log_output_level=info']);
    assert.deepEqual(container.resources, { requests: { cpu: '100m', memory: '100Mi' } });
  });

  it('takes the image from the component hub and tag, without the variant in sidecar mode', () => {
    const spec = { components: { cni: { enabled: true, hub: 'example.com/istio', tag: '1.2.3' } } };
    assert.equal(onlyContainer(renderCni(contextFor(spec)), ds).image, 'example.com/istio/install-cni:1.2.3');
  });

  it('is not privileged but holds the capabilities for iptables and pod namespaces', () => {
    const security = onlyContainer(renderCni(contextFor(ambient)), ds).securityContext;
    assert.equal(security.privileged, false);
    assert.deepEqual(security.capabilities, {
      drop: ['ALL'],
      add: ['NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_ADMIN', 'DAC_OVERRIDE'],
    });
  });

  it("mounts the node's CNI dirs, /proc, the netns dir and ztunnel's socket dir in ambient mode", () => {
    const component = renderCni(contextFor(ambient));
    const hostPaths = daemonSet(component, ds).spec.template.spec.volumes.map(
      (v) => `${v.name}=${v.hostPath?.path ?? ''}`,
    );
    assert.deepEqual(hostPaths, [
      'cni-bin-dir=/opt/cni/bin',
      'cni-host-procfs=/proc',
      'cni-ztunnel-sock-dir=/var/run/ztunnel',
      'cni-net-dir=/etc/cni/net.d',
      'cni-socket-dir=/var/run/istio-cni',
      'cni-netns-dir=/var/run/netns',
    ]);
    const mounts = onlyContainer(component, ds).volumeMounts.map((m) => `${m.name}:${m.mountPath}`);
    assert.deepEqual(mounts, [
      'cni-bin-dir:/host/opt/cni/bin',
      'cni-host-procfs:/host/proc',
      'cni-net-dir:/host/etc/cni/net.d',
      'cni-socket-dir:/var/run/istio-cni',
      'cni-netns-dir:/host/var/run/netns',
      'cni-ztunnel-sock-dir:/var/run/ztunnel',
    ]);
  });

  it('reads its settings from the config map and learns its node and pod from the downward API', () => {
    const container = onlyContainer(renderCni(contextFor(ambient)), ds) as unknown as {
      envFrom: unknown;
      env: { name: string }[];
    };
    assert.deepEqual(container.envFrom, [{ configMapRef: { name: 'istio-cni-config' } }]);
    assert.deepEqual(
      container.env.map((e) => e.name),
      [
        'REPAIR_NODE_NAME',
        'REPAIR_RUN_AS_DAEMON',
        'REPAIR_SIDECAR_ANNOTATION',
        'ALLOW_SWITCH_TO_HOST_NS',
        'NODE_NAME',
        'GOMEMLIMIT',
        'GOMAXPROCS',
        'POD_NAME',
        'POD_NAMESPACE',
      ],
    );
  });
});

describe('renderCni placement', () => {
  it('puts its namespaced objects and its bindings in components.cni.namespace', () => {
    // GIVEN the agent moved to kube-system
    const component = renderCni(
      contextFor({ ...ambient, components: { cni: { namespace: 'kube-system' } } }),
    );
    // THEN its account, config and DaemonSet are there, and the bindings name the account there
    const namespaced = objectKeys(component).filter((k) => !k.startsWith('Cluster'));
    assert.deepEqual(namespaced, [
      'ConfigMap/kube-system/istio-cni-config',
      'DaemonSet/kube-system/istio-cni-node',
      'ServiceAccount/kube-system/istio-cni',
    ]);
    const subjects = find(component, 'ClusterRoleBinding', 'istio-cni').subjects as { namespace: string }[];
    assert.equal(subjects[0]?.namespace, 'kube-system');
    assert.equal(component.workload?.namespace, 'kube-system');
  });

  it('labels its objects with the revision but keeps their names', () => {
    const component = renderCni(contextFor({ ...ambient, revision: 'canary' }));
    assert.equal(daemonSet(component, ds).metadata.labels?.['istio.io/rev'], 'canary');
    assert.equal(find(component, 'ClusterRole', 'istio-cni').metadata.labels?.['istio.io/rev'], 'canary');
  });
});

describe('renderCni platforms', () => {
  it('on openshift, uses Multus: own config file, a network in default, and the privileged SCC', () => {
    // GIVEN ambient on openshift
    const component = renderCni(contextFor({ ...ambient, values: { global: { platform: 'openshift' } } }));
    // THEN the plugin is a Multus network with its own file in Multus's dirs
    const data = find(component, 'ConfigMap', 'istio-cni-config').data as Record<string, string>;
    assert.equal(data.CHAINED_CNI_PLUGIN, 'false');
    assert.equal(data.CNI_CONF_NAME, 'istio-cni.conf');
    assert.equal(volume(component, ds, 'cni-bin-dir')?.hostPath?.path, '/var/lib/cni/bin');
    assert.equal(volume(component, ds, 'cni-net-dir')?.hostPath?.path, '/etc/cni/multus/net.d');
    assert.ok(objectKeys(component).includes('NetworkAttachmentDefinition/default/istio-cni'));
    // AND the pods may use the privileged SCC and run as spc_t
    assert.deepEqual(rules(component, 'istio-cni').at(-1), {
      apiGroups: ['security.openshift.io'],
      resources: ['securitycontextconstraints'],
      resourceNames: ['privileged'],
      verbs: ['use'],
    });
    assert.deepEqual(onlyContainer(component, ds).securityContext.seLinuxOptions, { type: 'spc_t' });
  });

  it("on gke, installs into GKE's binary dir and adds a quota for node-critical pods", () => {
    const component = renderCni(contextFor({ ...ambient, values: { global: { platform: 'gke' } } }));
    assert.equal(volume(component, ds, 'cni-bin-dir')?.hostPath?.path, '/home/kubernetes/bin');
    const quota = find(component, 'ResourceQuota', 'istio-cni-resource-quota');
    assert.deepEqual((quota.spec as { hard: unknown }).hard, { pods: '5000' });
  });

  it('keeps an explicit cniBinDir on gke', () => {
    const spec = { ...ambient, values: { global: { platform: 'gke' }, cni: { cniBinDir: '/custom/bin' } } };
    assert.equal(volume(renderCni(contextFor(spec)), ds, 'cni-bin-dir')?.hostPath?.path, '/custom/bin');
  });
});
