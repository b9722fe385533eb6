// Moving workloads to a new revision on the real API server: after a RevisionBased upgrade, namespaces are
// relabelled, Deployments restarted in batches that never exceed the batch size, each exactly once (even when
// the progress in status is lost, as when the operator dies between a restart and its status write), bare Pods
// reported and never deleted, and the old revision removed only once nothing runs on it. A batch that never
// becomes ready stops the migration. The plan `meshop upgrade --dry-run` prints is what the operator restarts.
// Injection is done by the real istiod of each revision, release 1.30.8 then 1.31.0 (the pod runner runs each
// release's own pilot-discovery), so the revision a pod runs is read from what real injection writes; the
// reconciler runs in-process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meshConfigCrd } from '../../src/api/index.ts';
import type { KubeClient, KubeObject, ObjectRef } from '../../src/kube/index.ts';
import { artifactsDirectory, meshRef, meshType, reconcileMesh } from '../../src/reconcile/index.ts';
import type { MeshObject, ReconcilerDeps } from '../../src/reconcile/index.ts';
import { scanWorkloads } from '../../src/cli/upgrade-workloads.ts';
import { podProxyRevision } from '../../src/revisions/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { uniqueName } from '../support/names.ts';
import { withNamespace } from '../support/namespaces.ts';
import { deploymentAvailable, testDeployment } from '../support/workloads.ts';
import { reconcilerDeps } from '../support/reconciler-deps.ts';

const field = { fieldManager: 'meshop-test' };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const restartedFor = 'meshop.dev/restarted-for';

const annotationOf = (d: KubeObject): string | undefined =>
  (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata
    .annotations?.[restartedFor];

describe('workload migration after a RevisionBased upgrade', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let deps: ReconcilerDeps;

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    deps = reconcilerDeps(kube.objects, artifactsDirectory(artifactsRoot));
  });
  after(async () => {
    await cluster.stop();
  });

  function meshSpec(namespace: string, version: string, strategy: Record<string, unknown>) {
    return {
      profile: 'minimal',
      namespace,
      version,
      updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 1, ...strategy },
    };
  }

  async function applyMesh(name: string, spec: Record<string, unknown>): Promise<void> {
    await kube.objects.apply({ ...meshType, metadata: { name }, spec }, field);
  }

  const getMesh = (name: string) => kube.objects.find<MeshObject>(meshRef(name));
  const ready = async (name: string) =>
    (await getMesh(name))?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ??
    false;

  async function listDeployments(namespaces: readonly string[]): Promise<KubeObject[]> {
    const all: KubeObject[] = [];
    for (const namespace of namespaces)
      all.push(...(await kube.objects.list(deploymentType, { namespace })).items);
    return all;
  }

  async function podRevisions(namespaces: readonly string[]): Promise<string[]> {
    const revs: string[] = [];
    for (const namespace of namespaces) {
      const pods = (await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace })).items;
      revs.push(
        ...pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => podProxyRevision(p.metadata) ?? ''),
      );
    }
    return revs;
  }

  /** Three namespaces on the old revision, ten Deployments and a bare Pod in them, all injected. */
  async function appsOn(oldRev: string): Promise<{ apps: string[]; bare: ObjectRef }> {
    const apps = [
      await withNamespace(kube, 'shop', { 'istio.io/rev': oldRev }),
      await withNamespace(kube, 'cart', { 'istio.io/rev': oldRev }),
      await withNamespace(kube, 'pay', { 'istio.io/rev': oldRev }),
    ];
    for (let i = 0; i < 10; i++)
      await kube.objects.apply(testDeployment(apps[i % 3] ?? '', `app-${String(i)}`), field);
    const bare = { apiVersion: 'v1', kind: 'Pod', namespace: apps[0] ?? '', name: 'bare' };
    const container = { name: 'c', image: 'registry.invalid/bare:1' };
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: bare.name, namespace: bare.namespace },
        spec: { containers: [container] },
      },
      field,
    );
    await eventually(
      'apps on the old revision',
      async () => {
        const ready = (await listDeployments(apps)).filter(deploymentAvailable).length === 10;
        const revs = await podRevisions(apps);
        return ready && revs.length === 11 && revs.every((r) => r === oldRev);
      },
      120_000,
    );
    return { apps, bare };
  }

  /** Reconciles until every Deployment runs the new revision; drops the progress in status once, mid-way. */
  async function migrateAll(name: string, apps: readonly string[], newRev: string): Promise<number> {
    let maxRolling = 0;
    let statusLost = false;
    await eventually(
      'every Deployment on the new revision',
      async () => {
        await reconcileMesh(deps, name);
        const ds = await listDeployments(apps);
        const rolling = ds.filter((d) => annotationOf(d) === newRev && !deploymentAvailable(d)).length;
        maxRolling = Math.max(maxRolling, rolling);
        if (!statusLost && ((await migrationOf(name))?.done ?? 0) >= 3) {
          // The operator dies after restarting a batch, before writing status: the progress is gone.
          statusLost = true;
          await kube.objects.patchStatus(meshRef(name), { status: { migration: null } });
        }
        return (await podRevisions(apps)).filter((r) => r === newRev).length === 10;
      },
      180_000,
    );
    assert.ok(statusLost, 'the progress in status was dropped mid-way');
    return maxRolling;
  }

  const migrationOf = async (name: string) => (await getMesh(name))?.status?.migration;
  const conditionOf = async (name: string, type: string) =>
    (await getMesh(name))?.status?.conditions?.find((c) => c.type === type);
  const inUse = async (name: string, revision: string) =>
    (await getMesh(name))?.status?.revisions?.find((r) => r.name === revision)?.inUse?.status;

  const istiodCount = async (namespace: string): Promise<number> =>
    (await kube.objects.list(deploymentType, { namespace, labelSelector: 'app=istiod' })).items.length;

  it('restarts 10 Deployments in batches of 3, each once; the old revision goes only when nothing runs on it', async () => {
    const name = uniqueName('mig');
    const system = uniqueName('mig-system');
    const [oldRev, newRev] = [`${name}-1-30-8`, `${name}-1-31-0`];
    await applyMesh(name, meshSpec(system, '1.30.8', {}));
    await eventually(
      'old revision Ready',
      async () => (await reconcileMesh(deps, name), ready(name)),
      120_000,
    );
    const { apps, bare } = await appsOn(oldRev);
    const generation = new Map(
      (await listDeployments(apps)).map((d) => [d.metadata.name, d.metadata.generation]),
    );
    // What `meshop upgrade --dry-run` would announce for this cluster, before anything moves.
    const plan = await scanWorkloads(kube.objects, oldRev, []);

    const restartWorkloads = { enabled: true, batchSize: 3 };
    await applyMesh(name, meshSpec(system, '1.31.0', { migrateNamespaces: true, restartWorkloads }));
    const maxRolling = await migrateAll(name, apps, newRev);
    assert.ok(maxRolling <= 3, `at most one batch rolling at a time, saw ${String(maxRolling)}`);
    for (const d of await listDeployments(apps)) {
      assert.equal(
        d.metadata.generation,
        (generation.get(d.metadata.name) ?? 0) + 1,
        'restarted exactly once',
      );
      assert.equal(annotationOf(d), newRev);
    }
    for (const ns of apps) {
      const namespace = await kube.objects.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
      assert.equal(namespace.metadata.labels?.['istio.io/rev'], newRev, `${ns} relabelled`);
    }

    // The plan announced exactly what the operator restarted, and the same bare Pod to restart by hand.
    const restarted = (await listDeployments(apps))
      .filter((d) => annotationOf(d) === newRev)
      .map((d) => `Deployment ${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`)
      .sort();
    assert.deepEqual(plan.restartable, restarted);
    assert.equal(restarted.length, 10);
    assert.deepEqual(plan.manual, [`Pod ${bare.namespace ?? ''}/bare`]);

    // The bare Pod still runs the old proxy: reported, not deleted, and it keeps the old revision.
    await reconcileMesh(deps, name);
    assert.deepEqual((await migrationOf(name))?.manualRestartRequired, [`${bare.namespace ?? ''}/bare`]);
    assert.equal(await inUse(name, oldRev), 'True');
    assert.ok(await kube.objects.find(bare));
    assert.equal(await istiodCount(system), 2);

    await kube.objects.delete(bare, { gracePeriodSeconds: 0 });
    await eventually(
      'old revision removed',
      async () => (await reconcileMesh(deps, name), (await istiodCount(system)) === 1),
      120_000,
    );
    assert.equal((await conditionOf(name, 'Upgrading'))?.status, 'False');
  });

  it('stops at a batch that never becomes ready, names it, and restarts nothing more', async () => {
    const name = uniqueName('stuck');
    const system = uniqueName('stuck-system');
    const oldRev = `${name}-1-30-8`;
    await applyMesh(name, meshSpec(system, '1.30.8', {}));
    await eventually(
      'old revision Ready',
      async () => (await reconcileMesh(deps, name), ready(name)),
      120_000,
    );
    const app = await withNamespace(kube, 'stuck-app', { 'istio.io/rev': oldRev });
    // Sorted first, and its new pods can never be scheduled once restarted: the restart adds nothing it lacks,
    // so its pods are Pending from the start (still injected, still on the old revision).
    await kube.objects.apply(
      testDeployment(app, 'a-never', { nodeSelector: { 'meshop.dev/no-such-node': 'x' } }),
      field,
    );
    await kube.objects.apply(testDeployment(app, 'b-fine'), field);
    await kube.objects.apply(testDeployment(app, 'c-fine'), field);
    await eventually(
      'pods injected',
      async () => (await podRevisions([app])).filter((r) => r === oldRev).length === 3,
      120_000,
    );
    const before = new Map(
      (await listDeployments([app])).map((d) => [d.metadata.name, d.metadata.generation]),
    );

    await applyMesh(
      name,
      meshSpec(system, '1.31.0', {
        migrateNamespaces: true,
        restartWorkloads: { enabled: true, batchSize: 1, batchTimeout: '2s' },
      }),
    );
    await eventually(
      'migration blocked',
      async () => {
        await reconcileMesh(deps, name);
        return (await migrationOf(name))?.blockedBy !== undefined;
      },
      120_000,
    );
    for (let i = 0; i < 3; i++) await reconcileMesh(deps, name);
    assert.equal((await migrationOf(name))?.blockedBy, `Deployment ${app}/a-never`);
    const degraded = await conditionOf(name, 'Degraded');
    assert.equal(degraded?.status, 'True');
    assert.equal(degraded.reason, 'MigrationBlocked');
    assert.match(degraded.message, /a-never/);
    for (const d of await listDeployments([app])) {
      const expected =
        d.metadata.name === 'a-never' ? (before.get('a-never') ?? 0) + 1 : before.get(d.metadata.name);
      assert.equal(
        d.metadata.generation,
        expected,
        `${d.metadata.name ?? ''}: restarted only if first in line`,
      );
    }
  });
});
