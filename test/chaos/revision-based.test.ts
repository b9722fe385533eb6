// Kill anywhere (test/chaos/harness.ts) over a canary upgrade with the real istiod of each release: install
// 1.30.8 RevisionBased, 4 Deployments injected by it, upgrade to 1.31.0 migrating the namespace and restarting
// the Deployments two at a time until the old revision is gone, then a forced teardown. Killed anywhere, the
// operator must still restart each Deployment exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import { podProxyRevision } from '../../src/revisions/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';
import { eventually } from '../support/eventually.ts';
import { deploymentAvailable, testDeployment } from '../support/workloads.ts';
import { cleanPass, killedPass, killsPerPhase, readyOn, seed } from './harness.ts';
import type { CleanRun, Plan } from './harness.ts';

const field = { fieldManager: 'meshop-chaos' };
const mesh = 'canary';
const system = 'canary-system';
const apps = 'chaos-apps';
const names = ['a', 'b', 'c', 'd'];
const [oldRevision, newRevision] = ['canary-1-30-8', 'canary-1-31-0'];
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };

const applyVersion = async (kube: KubeClient, version: string, strategy: Record<string, unknown> = {}) => {
  const updateStrategy = {
    type: 'RevisionBased',
    inactiveRevisionDeletionGracePeriodSeconds: 2,
    ...strategy,
  };
  await kube.objects.apply(
    {
      ...meshType,
      metadata: { name: mesh },
      spec: { profile: 'minimal', namespace: system, version, updateStrategy },
    },
    field,
  );
};

const deployments = async (kube: KubeClient): Promise<KubeObject[]> =>
  (await kube.objects.list(deploymentType, { namespace: apps })).items;

/** Every Deployment Available and every live pod injected by `revision`. */
async function allOn(kube: KubeClient, revision: string): Promise<boolean> {
  const pods = (await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: apps })).items.filter(
    (p) => !p.metadata.deletionTimestamp,
  );
  return (
    (await deployments(kube)).every(deploymentAvailable) &&
    pods.length === names.length &&
    pods.every((p) => podProxyRevision(p.metadata) === revision)
  );
}

const restartedFor = (d: KubeObject): string | undefined =>
  (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata
    .annotations?.['meshop.dev/restarted-for'];

/** Generations of the Deployments when the upgrade began. */
let generations = new Map<string, number>();

const plan: Plan = {
  mesh,
  phases: [
    {
      name: 'install 1.30.8 RevisionBased',
      begin: (kube) => applyVersion(kube, '1.30.8'),
      done: (kube) => readyOn(kube, mesh, { [oldRevision]: '1.30.8' }),
      then: async (kube) => {
        await kube.objects.apply(
          { ...namespaceType, metadata: { name: apps, labels: { 'istio.io/rev': oldRevision } } },
          field,
        );
        for (const name of names) await kube.objects.apply(testDeployment(apps, name), field);
        await eventually(`the Deployments on ${oldRevision}`, () => allOn(kube, oldRevision), 180_000);
      },
    },
    {
      name: 'RevisionBased upgrade to 1.31.0 restarting the workloads',
      begin: async (kube) => {
        generations = new Map(
          (await deployments(kube)).map((d) => [d.metadata.name ?? '', d.metadata.generation ?? 0]),
        );
        await applyVersion(kube, '1.31.0', {
          migrateNamespaces: true,
          restartWorkloads: { enabled: true, batchSize: 2 },
        });
      },
      // Only the new revision left: nothing used the old one any more, so every pod had moved.
      done: async (kube) =>
        (await readyOn(kube, mesh, { [newRevision]: '1.31.0' })) && allOn(kube, newRevision),
      check: async (kube) => {
        for (const d of await deployments(kube)) {
          const name = d.metadata.name ?? '';
          assert.equal(
            d.metadata.generation,
            (generations.get(name) ?? 0) + 1,
            `${name} restarted exactly once`,
          );
          assert.equal(restartedFor(d), newRevision, name);
        }
      },
    },
    {
      name: 'forced teardown',
      begin: async (kube) => {
        await kube.objects.mergePatch(meshRef(mesh), { spec: { teardown: { force: true } } });
        await kube.objects.delete(meshRef(mesh));
      },
      done: async (kube) => (await kube.objects.find(meshRef(mesh))) === undefined,
      check: async (kube) => {
        assert.equal((await deployments(kube)).length, names.length, "the user's Deployments stay");
      },
      // Back to the start for the next pass: the workloads go with their namespace.
      then: async (kube) => {
        await kube.objects.delete({ ...namespaceType, name: apps });
        await eventually(
          `${apps} deleted`,
          async () => (await kube.objects.find({ ...namespaceType, name: apps })) === undefined,
          120_000,
        );
      },
    },
  ],
};

describe(`kill anywhere: RevisionBased with restarts (seed ${String(seed)}, ${String(killsPerPhase)} kills per phase)`, () => {
  let cluster: PrivateCluster;
  let clean: CleanRun | undefined;

  before(async () => {
    process.stdout.write(`chaos seed: ${String(seed)} (MESHOP_CHAOS_SEED=${String(seed)} replays it)\n`);
    cluster = await startCluster({ nodes: 1, programs: istiodPrograms() });
    const kube = cluster.client();
    const crd = renderInstaller().find((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(crd);
    await kube.objects.apply(crd, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
  });
  after(async () => {
    await cluster.stop();
  });

  it('a clean run: each phase converges with one operator; its end state is the reference', async () => {
    await cleanPass(cluster, plan);
    clean = await cleanPass(cluster, plan);
    assert.ok(
      (clean.states.get('install 1.30.8 RevisionBased')?.size ?? 0) > 10,
      'the install left the mesh objects',
    );
    assert.equal(clean.states.get('forced teardown')?.size, 0, 'the teardown left nothing');
  });

  it('killed at random moments of every phase, the operator converges to the clean run state', async () => {
    assert.ok(clean, 'the clean run went first');
    await killedPass(cluster, plan, clean);
  });
});
