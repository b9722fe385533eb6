// The whole operator in-process (manager, informers, work queue, reconciler) against the real API server: a
// MeshConfig becomes Ready with no one calling reconcile by hand, `kubectl wait --for=condition=Ready` works,
// a deleted istiod comes back from the watch alone, and deleting the MeshConfig tears the mesh down, also when it
// is deleted in the middle of its install; the namespace it made goes only when nothing of any kind is left in it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { createOperator } from '../../src/operator/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import type { Manager } from '../../src/runtime/index.ts';
import { silentLogger } from '../../src/runtime/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { uniqueName } from '../support/names.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { meshConfigCrd } from '../../src/api/index.ts';

const run = promisify(execFile);
const crd = meshConfigCrd() as unknown as KubeObject;

describe('the operator in-process', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let manager: Manager;
  let stopped: Promise<void>;
  const name = uniqueName('op');
  const namespace = uniqueName('op-system');

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    manager = await createOperator({
      kube,
      artifactsRoot,
      logger: silentLogger(),
      probeAddress: { host: '127.0.0.1', port: 0 },
      metricsAddress: { host: '127.0.0.2', port: 0 },
    });
    stopped = manager.start();
  });
  after(async () => {
    manager.stop();
    await stopped;
    await cluster.stop();
  });

  it('installs a MeshConfig to Ready and kubectl wait sees it', async () => {
    await kube.objects.apply(
      { ...meshType, metadata: { name }, spec: { profile: 'minimal', namespace } },
      { fieldManager: 'meshop-test' },
    );
    await run(join(cluster.binDir, 'kubectl'), [
      '--kubeconfig',
      cluster.kubeconfigPath,
      'wait',
      '--for=condition=Ready',
      `mesh/${name}`,
      '--timeout=120s',
    ]);
    const mesh = await kube.objects.get<MeshObject>(meshRef(name));
    assert.equal(mesh.status?.observedGeneration, mesh.metadata.generation);
  });

  it("brings istiod's Deployment back from the watch alone", async () => {
    const istiod = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'istiod' };
    const before = await kube.objects.get(istiod);
    await kube.objects.delete(istiod);
    await eventually(
      'istiod recreated',
      async () => {
        const now = await kube.objects.find(istiod);
        return now !== undefined && now.metadata.uid !== before.metadata.uid;
      },
      60_000,
    );
  });

  it('serves health, readiness and metrics', async () => {
    const address = manager.serverAddress();
    const metricsAddress = manager.metricsAddress();
    assert.ok(address && metricsAddress);
    const body = await (await fetch(`http://127.0.0.2:${String(metricsAddress.port)}/metrics`)).text();
    assert.match(
      body,
      /controller_runtime_reconcile_total\{controller="meshconfig",result="(success|requeue_after)"\} [1-9]/,
    );
    assert.equal((await fetch(`http://127.0.0.1:${String(address.port)}/readyz`)).status, 200);
  });

  it('tears the mesh down when the MeshConfig is deleted, and keeps the namespace it made while it holds a user object of any kind', async () => {
    // A PodTemplate: a kind no fixed list of "user kinds" named. Whether the namespace is empty comes from
    // discovery, so any namespaced kind counts.
    const template = {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'users-template', namespace },
      template: { spec: { containers: [{ name: 'app', image: 'example.invalid/app:1' }] } },
    };
    await kube.objects.apply(template, { fieldManager: 'meshop-test' });
    await kube.objects.delete(meshRef(name));
    await eventually(
      'MeshConfig gone',
      async () => (await kube.objects.find(meshRef(name))) === undefined,
      120_000,
    );
    const left = await kube.objects.list(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { labelSelector: `meshop.dev/mesh=${name}` },
    );
    assert.deepEqual(left.items, []);
    const ns = await kube.objects.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    assert.equal(ns.metadata.deletionTimestamp, undefined, 'the namespace holding a PodTemplate stays');
    assert.ok(
      await kube.objects.find({ apiVersion: 'v1', kind: 'PodTemplate', name: 'users-template', namespace }),
    );
  });

  it('tears down what it had applied when the MeshConfig is deleted in the middle of an install', async () => {
    const early = uniqueName('early');
    const earlyNamespace = `${early}-system`;
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name: early },
        spec: { profile: 'demo', namespace: earlyNamespace, revision: early },
      },
      { fieldManager: 'meshop-test' },
    );
    // Deleted as soon as its first Deployment exists: gateways and addons are not there yet.
    await eventually(
      'the install under way',
      async () =>
        (
          await kube.objects.list(
            { apiVersion: 'apps/v1', kind: 'Deployment' },
            { namespace: earlyNamespace, labelSelector: `meshop.dev/mesh=${early}` },
          )
        ).items.length > 0,
      60_000,
    );
    await kube.objects.delete(meshRef(early));
    await eventually(
      'MeshConfig gone',
      async () => (await kube.objects.find(meshRef(early))) === undefined,
      120_000,
    );
    const left: string[] = [];
    for (const type of [
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'v1', kind: 'Service' },
      { apiVersion: 'v1', kind: 'ConfigMap' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
    ]) {
      const items = (await kube.objects.list(type, { labelSelector: `meshop.dev/mesh=${early}` })).items;
      left.push(...items.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`));
    }
    assert.deepEqual(left, []);
    const ns = await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: earlyNamespace });
    assert.ok(
      ns === undefined || ns.metadata.deletionTimestamp !== undefined,
      'the namespace it made is going',
    );
  });
});
