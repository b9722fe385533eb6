// The operator when things go wrong, as real processes on a private control plane: killed mid-install it
// converges on restart with no duplicates or orphans; a converged resync writes nothing (counted in the API
// server's audit log); of two replicas only the lease holder works and the other takes over when it dies; an
// API server restart during an install is survived without restarting the operator; a leader whose lease is
// taken sends nothing more (API server's audit log) and exits non-zero; deleting the MeshConfig CRD tears every
// mesh down first (their finalizers hold it) and the operator keeps running until the CRD is back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { describeRef, refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { inventoryKinds, renderMesh } from '../../src/render/index.ts';
import { meshRef, meshType, reconcileMesh } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { auditMark, auditSince, isWrite } from '../support/audit-log.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import type { OperatorProcess } from '../support/operator-process.ts';
import { artifactsRoot, testRelease } from '../support/render-fixtures.ts';
import { meshConfigCrd } from '../../src/api/index.ts';
import { reconcilerDeps } from '../support/reconciler-deps.ts';
import { microTime } from '../../src/runtime/lease-record.ts';

const crd = meshConfigCrd() as unknown as KubeObject;
const lease = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  namespace: 'meshop-system',
  name: 'meshop-operator',
};

describe('the operator under failure', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  const running: OperatorProcess[] = [];
  const operator = (): OperatorProcess => {
    const p = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot);
    running.push(p);
    return p;
  };
  const ready = async (name: string): Promise<boolean> =>
    (await kube.objects.find<MeshObject>(meshRef(name)))?.status?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ) === true;
  const holder = async (): Promise<string> =>
    ((await kube.objects.find(lease))?.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '';
  const owned = async (name: string): Promise<string[]> => {
    const refs: string[] = [];
    for (const kind of inventoryKinds) {
      try {
        const items = (await kube.objects.list(kind, { labelSelector: `meshop.dev/mesh=${name}` })).items;
        refs.push(...items.filter((o) => !o.metadata.deletionTimestamp).map((o) => describeRef(refOf(o))));
      } catch {
        // a kind this cluster does not serve
      }
    }
    return refs.sort();
  };

  before(async () => {
    cluster = await startCluster({ nodes: 1, auditLog: true });
    kube = cluster.client();
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    await kube.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'meshop-system' } },
      { fieldManager: 'meshop-test' },
    );
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
  });
  after(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await cluster.stop();
  });

  it('converges after being killed mid-install, with no duplicates and no orphans', async () => {
    const first = operator();
    await kube.objects.apply(
      { ...meshType, metadata: { name: 'killed' }, spec: { profile: 'demo' } },
      { fieldManager: 'meshop-test' },
    );
    await eventually('install under way', async () => (await owned('killed')).length > 5, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    operator();
    await eventually('Ready after restart', () => ready('killed'), 120_000);
    const { release, artifacts } = testRelease();
    const rendered = renderMesh({ name: 'killed', spec: { profile: 'demo' } }, release, artifacts)
      // The CRDs are shared by every mesh and carry no mesh label (checked below on their own).
      .objects.filter((o) => o.kind !== 'CustomResourceDefinition')
      .map((o) => describeRef(refOf(o)));
    const crds = await kube.objects.list(
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
      { labelSelector: 'app.kubernetes.io/managed-by=meshop' },
    );
    assert.equal(crds.items.length, 15);
    assert.deepEqual(await owned('killed'), [...new Set(rendered)].sort());
  });

  it('writes nothing on a converged resync (audit log)', async () => {
    const auditLog = cluster.auditLogPath ?? '';
    const deps = reconcilerDeps(kube.objects);
    await reconcileMesh(deps, 'killed');
    const mark = auditMark(auditLog);
    await reconcileMesh(deps, 'killed');
    await reconcileMesh(deps, 'killed');
    const writes = auditSince(auditLog, mark)
      .filter((e) => e.userAgent === 'meshop' && isWrite(e))
      // The operator processes still running renew their leader Lease every 2 s: a heartbeat, not a reconcile.
      .filter((e) => !e.requestURI.startsWith('/apis/coordination.k8s.io/'));
    assert.deepEqual(
      writes.map((w) => `${w.verb} ${w.requestURI}`),
      [],
    );
  });

  it('hands over to the second replica when the leader dies', async () => {
    const second = operator();
    const leaderPid = running[1]?.child.pid;
    assert.match(await holder(), new RegExp(`-${String(leaderPid)}$`));
    running[1]?.child.kill('SIGKILL');
    await eventually(
      'the second replica holds the lease',
      async () => (await holder()).endsWith(`-${String(second.child.pid)}`),
      60_000,
    );
    // The new leader does the work: a change made now is reconciled.
    await kube.objects.apply(
      { ...meshType, metadata: { name: 'killed' }, spec: { profile: 'minimal' } },
      { fieldManager: 'meshop-test' },
    );
    await eventually(
      'gateways pruned by the new leader',
      async () => !(await owned('killed')).some((r) => /^Deployment .*gateway/.test(r)),
      60_000,
    );
  });

  it('converges after an API server restart in the middle of an install', async () => {
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name: 'restarted' },
        // A revision of its own: the first mesh's unrevisioned control plane owns the cluster-wide default
        // validator, which a second unrevisioned mesh may not take (object-claims.ts).
        spec: { profile: 'minimal', namespace: 'restarted-system', revision: 'restarted' },
      },
      { fieldManager: 'meshop-test' },
    );
    await cluster.restartApiServer();
    // The API server's restart and the informers' relists take long on a loaded 2-core machine: a limit, not a target.
    await eventually(
      'Ready after the API server came back',
      () => {
        // A leader that could not renew its lease while the API server was away gives up and exits 1, as it must;
        // its pod would be started again, and so is it here.
        if (running.every((p) => p.child.exitCode !== null || p.child.signalCode !== null)) operator();
        return ready('restarted');
      },
      240_000,
    );
  });

  it('sends nothing more and exits non-zero the moment its lease is taken, mid-install', async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    const op = operator();
    await eventually(
      'the new process leads',
      async () => (await holder()).endsWith(`-${String(op.child.pid)}`),
      60_000,
    );
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name: 'stolen' },
        spec: { profile: 'demo', namespace: 'stolen-system', revision: 'stolen' },
      },
      { fieldManager: 'meshop-test' },
    );
    await eventually(
      'the install under way',
      async () =>
        (await kube.objects.find({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          namespace: 'stolen-system',
          name: 'istiod-stolen',
        })) !== undefined,
      // A new leader's informers list every kind first, slow on a loaded 2-core machine: a limit, not a target.
      180_000,
    );
    const auditLog = cluster.auditLogPath ?? '';
    const mark = auditMark(auditLog);
    // A successor takes the lease (as one would after an expiry the old leader did not notice).
    const now = microTime(Date.now());
    await kube.objects.mergePatch(lease, {
      spec: { holderIdentity: 'successor', acquireTime: now, renewTime: now, leaseDurationSeconds: 3600 },
    });
    assert.equal(await op.exited, 1, 'a lost lease is a failure: exit code 1');
    const lost = op
      .output()
      .split('\n')
      .find((l) => l.includes('"Lost lease"'));
    assert.ok(lost, op.output().slice(-2000));
    const lostAt = Date.parse((JSON.parse(lost) as { timestamp: string }).timestamp);
    // Requests received after the loss was seen (50 ms for one already on its way over loopback): none may write.
    const late = auditSince(auditLog, mark).filter(
      (e) =>
        e.userAgent === 'meshop' && isWrite(e) && Date.parse(e.requestReceivedTimestamp ?? '') > lostAt + 50,
    );
    assert.deepEqual(
      late.map((e) => `${e.verb} ${e.requestURI}`),
      [],
    );
  });

  it('tears every mesh down when the MeshConfig CRD is deleted, keeps running, and resumes once it is back', async () => {
    // The lease is the successor's now: this replica runs without leader election.
    const op = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false);
    running.push(op);
    const meshes = (await kube.objects.list<MeshObject>(meshType)).items.map((m) => m.metadata.name ?? '');
    assert.ok(meshes.length > 0);
    const crdRef = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: crd.metadata.name ?? '',
    };
    // The API server deletes every MeshConfig first; their finalizers hold the CRD until each mesh is torn down.
    await kube.objects.delete(crdRef);
    await eventually('the CRD gone', async () => (await kube.objects.find(crdRef)) === undefined, 240_000);
    for (const name of meshes) assert.deepEqual(await owned(name), [], `${name} torn down`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(op.child.exitCode, null, 'still running without its CRD');
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    await eventually(
      'MeshConfig served again',
      async () => (await kube.objects.list(meshType), true),
      30_000,
    );
    await kube.objects.apply(
      { ...meshType, metadata: { name: 'again' }, spec: { profile: 'minimal', namespace: 'again-system' } },
      { fieldManager: 'meshop-test' },
    );
    await eventually('a new MeshConfig Ready', () => ready('again'), 120_000);
  });
});
