// GIVEN the local control plane with KWOK, WHEN a Deployment is created, THEN it becomes Available without a
// kubelet, and a deleted Pod is replaced by the ReplicaSet controller.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { dropNamespace, withNamespace } from '../support/namespaces.ts';
import { deploymentAvailable } from '../support/workloads.ts';

const podType = { apiVersion: 'v1', kind: 'Pod' };

function deployment(namespace: string): KubeObject {
  const labels = { app: 'echo' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'echo', namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'echo', image: 'registry.invalid/echo:1', ports: [{ containerPort: 8080 }] }],
        },
      },
    },
  };
}

describe('Deployments on KWOK', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let ns: string;
  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    ns = await withNamespace(kube, 'deploy');
  });
  after(async () => {
    await dropNamespace(kube, ns);
    await cluster.stop();
  });

  it('a 2-replica Deployment becomes Available', async () => {
    await kube.objects.apply(deployment(ns), { fieldManager: 'meshop-test' });
    await eventually(
      'Deployment echo Available',
      async () => {
        return deploymentAvailable(
          await kube.objects.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'echo' }),
        );
      },
      60_000,
    );
    const { items } = await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=echo' });
    assert.equal(items.length, 2);
    for (const pod of items) assert.equal((pod.status as { phase: string }).phase, 'Running');
  });

  it('a deleted Pod is replaced and the old one disappears', async () => {
    const before = await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=echo' });
    const victim = before.items[0]!;
    assert.ok(await kube.objects.delete({ ...podType, namespace: ns, name: victim.metadata.name! }));
    await eventually(
      'a replacement Pod Running and the old one gone',
      async () => {
        const { items } = await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=echo' });
        const uids = items.map((p) => p.metadata.uid);
        const running = items.filter((p) => (p.status as { phase?: string }).phase === 'Running');
        return items.length === 2 && running.length === 2 && !uids.includes(victim.metadata.uid);
      },
      60_000,
    );
  });
});
