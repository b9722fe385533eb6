// GIVEN the local control plane with KWOK, WHEN workloads are created, THEN Deployments, DaemonSets and
// StatefulSets become ready without a kubelet, and a deleted Pod is replaced by the ReplicaSet controller.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { eventually } from '../support/eventually.ts';
import { useSharedNamespace } from '../support/shared-namespace.ts';
import { deploymentAvailable } from '../support/workloads.ts';

const podType = { apiVersion: 'v1', kind: 'Pod' };

function workload(kind: string, namespace: string, extra: Record<string, unknown> = {}): KubeObject {
  const app = kind.toLowerCase();
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: app, namespace },
    spec: {
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          containers: [{ name: app, image: `registry.invalid/${app}:1`, ports: [{ containerPort: 8080 }] }],
        },
      },
      ...extra,
    },
  };
}

const deployment = (ns: string): KubeObject => workload('Deployment', ns, { replicas: 2 });

describe('workloads on KWOK', () => {
  const fx = useSharedNamespace('deploy');
  let kube: KubeClient;
  let ns: string;
  before(() => {
    ({ kube, ns } = fx);
  });

  it('a 2-replica Deployment becomes Available', async () => {
    await kube.objects.apply(deployment(ns), { fieldManager: 'meshop-test' });
    await eventually(
      'Deployment Available',
      async () => {
        return deploymentAvailable(
          await kube.objects.get({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: ns,
            name: 'deployment',
          }),
        );
      },
      60_000,
    );
    const { items } = await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=deployment' });
    assert.equal(items.length, 2);
    for (const pod of items) assert.equal((pod.status as { phase: string }).phase, 'Running');
  });

  it('a deleted Pod is replaced and the old one disappears', async () => {
    const before = await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=deployment' });
    const victim = before.items[0]!;
    assert.ok(await kube.objects.delete({ ...podType, namespace: ns, name: victim.metadata.name! }));
    await eventually(
      'a replacement Pod Running and the old one gone',
      async () => {
        const { items } = await kube.objects.list(podType, {
          namespace: ns,
          labelSelector: 'app=deployment',
        });
        const uids = items.map((p) => p.metadata.uid);
        const running = items.filter((p) => (p.status as { phase?: string }).phase === 'Running');
        return items.length === 2 && running.length === 2 && !uids.includes(victim.metadata.uid);
      },
      60_000,
    );
  });

  it('a DaemonSet runs a ready Pod on every node', async () => {
    await kube.objects.apply(workload('DaemonSet', ns), { fieldManager: 'meshop-test' });
    const nodes = (await kube.objects.list({ apiVersion: 'v1', kind: 'Node' })).items.length;
    await eventually(
      'DaemonSet ready on every node',
      async () => {
        const ds = await kube.objects.get({
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          namespace: ns,
          name: 'daemonset',
        });
        const s = ds.status as {
          observedGeneration?: number;
          desiredNumberScheduled?: number;
          numberReady?: number;
        };
        return (
          s.observedGeneration === ds.metadata.generation &&
          s.desiredNumberScheduled === nodes &&
          s.numberReady === nodes
        );
      },
      60_000,
    );
  });

  it('a StatefulSet becomes ready', async () => {
    await kube.objects.apply(workload('StatefulSet', ns, { replicas: 2, serviceName: 'statefulset' }), {
      fieldManager: 'meshop-test',
    });
    await eventually(
      'StatefulSet ready',
      async () => {
        const sts = await kube.objects.get({
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          namespace: ns,
          name: 'statefulset',
        });
        const s = sts.status as {
          observedGeneration?: number;
          readyReplicas?: number;
          availableReplicas?: number;
        };
        return (
          s.observedGeneration === sts.metadata.generation &&
          s.readyReplicas === 2 &&
          s.availableReplicas === 2
        );
      },
      60_000,
    );
  });
});
