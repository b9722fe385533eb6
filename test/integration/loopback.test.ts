// The network rule: every address the API server can dial lies in 127.0.0.0/8, and the automated run happens in
// a network namespace whose only interface is lo.
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { kubernetesServiceIp, sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';

describe('loopback only', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
  });
  after(() => cluster.stop());

  it('the kubernetes Service has a ClusterIP inside 127.0.0.0/8', async () => {
    const svc = await kube.objects.get({
      apiVersion: 'v1',
      kind: 'Service',
      namespace: 'default',
      name: 'kubernetes',
    });
    assert.equal((svc.spec as { clusterIP: string }).clusterIP, kubernetesServiceIp);
  });

  it('KWOK gives nodes and pods loopback addresses', async () => {
    const { items } = await kube.objects.list({ apiVersion: 'v1', kind: 'Node' });
    assert.ok(items.length > 0);
    for (const node of items) {
      const addresses = (node.status as { addresses?: { type: string; address: string }[] }).addresses ?? [];
      for (const a of addresses.filter((x) => x.type === 'InternalIP')) assert.match(a.address, /^127\./);
    }
    const pods = await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' });
    for (const pod of pods.items.filter(hasIp))
      assert.match((pod.status as { podIP: string }).podIP, /^127\./);
  });

  it('the test run has no interface but lo when the suite runs in its namespace', (t) => {
    if (process.env.MESHOP_NETNS !== 'lo-only') {
      t.skip('not started by hack/test.sh inside a network namespace');
      return;
    }
    assert.deepEqual(Object.keys(networkInterfaces()), ['lo']);
  });
});

function hasIp(pod: KubeObject): boolean {
  return typeof (pod.status as { podIP?: unknown } | undefined)?.podIP === 'string';
}
