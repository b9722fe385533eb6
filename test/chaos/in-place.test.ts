// Kill anywhere (test/chaos/harness.ts) over an InPlace mesh: install 1.30.8, upgrade in place to 1.31.0, tear
// down. A private cluster with KWOK's pods (istiod need only become Available here): killed operators must not
// meet the suite's other meshes. A user's ConfigMap with a copy of the mesh's label must outlive it all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { cleanPass, killedPass, killsPerPhase, readyOn, seed } from './harness.ts';
import type { CleanRun, Plan } from './harness.ts';

const field = { fieldManager: 'meshop-chaos' };
const mesh = 'chaos';
const system = 'chaos-system';
const userObject = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'user-notes' };

const applyVersion = async (kube: KubeClient, version: string): Promise<void> => {
  await kube.objects.apply(
    { ...meshType, metadata: { name: mesh }, spec: { profile: 'default', namespace: system, version } },
    field,
  );
};

const plan: Plan = {
  mesh,
  userObjects: [userObject],
  phases: [
    {
      name: 'install 1.30.8',
      begin: (kube) => applyVersion(kube, '1.30.8'),
      done: (kube) => readyOn(kube, mesh, { default: '1.30.8' }),
    },
    {
      name: 'InPlace upgrade to 1.31.0',
      begin: (kube) => applyVersion(kube, '1.31.0'),
      done: (kube) => readyOn(kube, mesh, { default: '1.31.0' }),
    },
    {
      name: 'teardown',
      begin: async (kube) => {
        await kube.objects.delete(meshRef(mesh));
      },
      done: async (kube) => (await kube.objects.find(meshRef(mesh))) === undefined,
      check: async (kube) => {
        assert.ok(
          await kube.objects.find(userObject),
          "the user's object with the copied label is still there",
        );
        await eventually(
          `${system} deleted`,
          async () =>
            (await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: system })) === undefined,
          60_000,
        );
      },
    },
  ],
};

describe(`kill anywhere: InPlace (seed ${String(seed)}, ${String(killsPerPhase)} kills per phase)`, () => {
  let cluster: PrivateCluster;
  let clean: CleanRun | undefined;

  before(async () => {
    process.stdout.write(`chaos seed: ${String(seed)} (MESHOP_CHAOS_SEED=${String(seed)} replays it)\n`);
    cluster = await startCluster({ nodes: 1 });
    const kube = cluster.client();
    const crd = renderInstaller().find((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(crd);
    await kube.objects.apply(crd, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: userObject.name, namespace: 'default', labels: { 'meshop.dev/mesh': mesh } },
        data: { a: '1' },
      },
      field,
    );
  });
  after(async () => {
    await cluster.stop();
  });

  it('a clean run: each phase converges with one operator; its end state is the reference', async () => {
    // The first pass fills what later runs find ready (Istio's CRDs, which teardown keeps; the render cache): the
    // second is the one the killed runs are measured against.
    await cleanPass(cluster, plan);
    clean = await cleanPass(cluster, plan);
    assert.ok((clean.states.get('install 1.30.8')?.size ?? 0) > 10, 'the install left the mesh objects');
    assert.equal(clean.states.get('teardown')?.size, 0, 'the teardown left nothing');
  });

  it('killed at random moments of every phase, the operator converges to the clean run state', async () => {
    assert.ok(clean, 'the clean run went first');
    await killedPass(cluster, plan, clean);
  });
});
