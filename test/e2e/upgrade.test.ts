// Canary upgrades end to end, as scenarios a person can run and read (`make test-e2e`): the whole operator runs
// in-process (informers, work queue, controller, as `createOperator` assembles it) with the two real releases,
// 1.30.8 and 1.31.0, and sidecar injection is done by the real istiod of each revision (the pod runner runs
// each release's own pilot-discovery). Every step is printed with what it checks.
//
//   A. 1.30.8 -> 1.31.0, RevisionBased, a `prod` tag, one namespace on the tag and one on the old revision by
//      name: the tag moves, the named namespace is relabelled, Deployments are restarted two at a time, a bare
//      Pod holds the old revision until it goes, then the old revision is removed.
//      The operator acts as the ServiceAccount the installer creates, with the installer's RBAC, and the scenario
//      ends with a teardown: the API server's audit log then shows every request allowed by those roles and
//      every right of them used, or documented in docs/security.md as held for a reason.
//   B. The operator dies in the middle of the migration, right after restarting a batch and before recording
//      it; a new operator resumes, and no Deployment is restarted twice.
//   C. The MeshConfig is deleted in the middle of a migration: no workload is restarted after the deletion, both
//      control planes stay while the namespace's pods use them (TeardownBlocked says so), and a forced teardown
//      then removes every object of the mesh and none of the user's.
//   D. The lease is taken from the operator in the middle of a restart batch: it stops with an error (a process
//      would exit non-zero) and, from the moment it saw the loss, sends no write at all (audit log).
//
// A private cluster, not the run's shared one: an operator running in-process reconciles every MeshConfig of
// the cluster, so it would also act on the meshes that integration tests reconcile step by step.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { renderInstaller } from '../../src/installer/index.ts';
import { ObjectClient, connect } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import type { HttpRequest } from '../../src/kube/transport.ts';
import { createOperator } from '../../src/operator/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { podProxyRevision } from '../../src/revisions/index.ts';
import { silentLogger } from '../../src/runtime/index.ts';
import { microTime } from '../../src/runtime/lease-record.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { deploymentAvailable, testDeployment } from '../support/workloads.ts';
import { auditMark, auditSince, isWrite } from '../support/audit-log.ts';
import type { AuditEvent } from '../support/audit-log.ts';
import { rbacVerdict } from '../support/rbac-coverage.ts';
import { scenario } from './scenario.ts';
import type { Scenario } from './scenario.ts';

const field = { fieldManager: 'meshop-e2e' };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const podType = { apiVersion: 'v1', kind: 'Pod' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };
/** What the operator writes into a pod template to restart it for a revision (src/reconcile/migration-stage). */
const restartedFor = 'meshop.dev/restarted-for';
const minutes = (n: number): number => n * 60_000;

interface World {
  cluster: PrivateCluster;
  kube: KubeClient;
  /** The operator's connection: the admin's kubeconfig, acting as the installer's ServiceAccount. */
  operatorKube: KubeClient;
}

/** The installer's identity and rights, without its Deployment (the operator runs in-process here). */
const operatorNamespace = 'meshop-system';
const operatorUser = `system:serviceaccount:${operatorNamespace}:meshop-operator`;
const installer = renderInstaller({ namespace: operatorNamespace }).filter((o) => o.kind !== 'Deployment');

interface RunningOperator {
  /** Stops the manager and waits for it; resolves with the error it ended with, if any. */
  stop(): Promise<Error | undefined>;
  /** Resolves when the manager ends on its own or is stopped, with the error it ended with, if any. */
  ended: Promise<Error | undefined>;
}

async function startInProcess(kube: KubeClient): Promise<RunningOperator> {
  const manager = await createOperator({
    kube,
    artifactsRoot,
    logger: silentLogger(),
    leaderElection: { namespace: operatorNamespace },
  });
  const running = manager.start().then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  return {
    stop: () => {
      manager.stop();
      return running;
    },
    ended: running,
  };
}

/** A request that restarts a Deployment: a merge patch of its pod template's restarted-for annotation. */
const isRestart = (req: HttpRequest): boolean => {
  const patch = req.body as
    { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } } | undefined;
  return (
    req.method === 'PATCH' &&
    req.path.includes('/deployments/') &&
    patch?.spec?.template?.metadata?.annotations?.[restartedFor] !== undefined
  );
};

/**
 * The operator's connection to the API server, cut the moment its `restarts`-th workload restart has gone
 * through: from then on every request fails before it is sent, as if the process had died right there (the
 * status write that would record the batch never happens). Cut at the transport, so every client the operator
 * builds on it (its informers' and its reconciler's cached client alike) dies at once.
 */
function dyingConnection(kube: KubeClient, restarts: number): { kube: KubeClient; died: Promise<undefined> } {
  let seen = 0;
  let dead = false;
  const died = Promise.withResolvers<undefined>();
  const gone = (): Error => new Error('the operator process is gone (killed by the test)');
  const transport = new Proxy(kube.transport, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = value as (req: HttpRequest) => Promise<unknown>;
      return async (req: HttpRequest) => {
        if (dead) throw gone();
        const result = await method.call(target, req);
        if (isRestart(req) && ++seen >= restarts) {
          dead = true;
          died.resolve(undefined);
        }
        return result;
      };
    },
  });
  return { kube: { ...kube, transport, objects: new ObjectClient(transport) }, died: died.promise };
}

/** One MeshConfig of the scenario, RevisionBased. */
function meshOf(w: World, name: string) {
  const system = `${name}-system`;
  const revision = (version: string): string => `${name}-${version.replaceAll('.', '-')}`;
  const get = (): Promise<MeshObject | undefined> => w.kube.objects.find<MeshObject>(meshRef(name));
  return {
    name,
    system,
    revision,
    get,
    async apply(version: string, strategy: Record<string, unknown>, tags?: Record<string, string>) {
      const spec = {
        profile: 'minimal',
        namespace: system,
        version,
        updateStrategy: { type: 'RevisionBased', ...strategy },
        ...(tags ? { revisionTags: tags } : {}),
      };
      await w.kube.objects.apply({ ...meshType, metadata: { name }, spec }, field);
    },
    /** Waits until the operator reports the mesh Ready with `active` serving. */
    async serving(active: string): Promise<void> {
      await eventually(
        `${name} Ready on ${active}`,
        async () => {
          const status = (await get())?.status;
          if (status?.activeRevision !== active) return false;
          return status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
        },
        minutes(3),
      );
    },
    async istiods(): Promise<string[]> {
      const list = await w.kube.objects.list(deploymentType, {
        namespace: system,
        labelSelector: 'app=istiod',
      });
      return list.items.map((d) => d.metadata.name ?? '').sort();
    },
  };
}

type TestMesh = ReturnType<typeof meshOf>;

async function createNamespace(w: World, name: string, labels: Record<string, string>): Promise<void> {
  await w.kube.objects.apply({ ...namespaceType, metadata: { name, labels } }, field);
}

async function deploymentsIn(w: World, namespaces: readonly string[]): Promise<KubeObject[]> {
  const all: KubeObject[] = [];
  for (const namespace of namespaces)
    all.push(...(await w.kube.objects.list(deploymentType, { namespace })).items);
  return all;
}

/** `namespace/pod -> revision` of the live (not terminating) pods of some namespaces. */
async function podRevisions(w: World, namespaces: readonly string[]): Promise<Map<string, string>> {
  const revisions = new Map<string, string>();
  for (const namespace of namespaces) {
    for (const pod of (await w.kube.objects.list(podType, { namespace })).items) {
      if (pod.metadata.deletionTimestamp) continue;
      revisions.set(`${namespace}/${pod.metadata.name ?? ''}`, podProxyRevision(pod.metadata) ?? '');
    }
  }
  return revisions;
}

/** Waits until every Deployment of the namespaces is Available and every pod there runs `revision`. */
async function allOn(w: World, namespaces: readonly string[], revision: string, pods: number): Promise<void> {
  await eventually(
    `${String(pods)} pods on ${revision}`,
    async () => {
      const available = (await deploymentsIn(w, namespaces)).every(deploymentAvailable);
      const revs = [...(await podRevisions(w, namespaces)).values()];
      return available && revs.length === pods && revs.every((r) => r === revision);
    },
    minutes(3),
  );
}

const restartAnnotation = (d: KubeObject): string | undefined =>
  (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata
    .annotations?.[restartedFor];

/** `kubectl get meshconfig <name>` as the cluster's kubectl prints it, and its columns by header. */
async function kubectlGetMesh(
  w: World,
  name: string,
): Promise<{ text: string; column: Record<string, string> }> {
  const kubectl = join(w.cluster.binDir, 'kubectl');
  const args = ['--kubeconfig', w.cluster.kubeconfigPath, 'get', 'meshconfig', name];
  const { stdout } = await promisify(execFile)(kubectl, args);
  const [header = '', row = ''] = stdout.split('\n');
  // Headers may hold one space ("IN USE"); columns are separated by more.
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)];
  const column: Record<string, string> = {};
  starts.forEach((m, i) => {
    column[m[0]] = row.slice(m.index, starts[i + 1]?.index).trim();
  });
  return { text: stdout.trimEnd(), column };
}

async function installOld(s: Scenario, mesh: TestMesh, tags?: Record<string, string>) {
  const old = mesh.revision('1.30.8');
  await s.step(
    `install ${mesh.name} 1.30.8, updateStrategy RevisionBased${tags ? `, revisionTags ${JSON.stringify(tags)}` : ''}: ` +
      `the operator reports it Ready, active revision ${old}`,
    async () => {
      await mesh.apply('1.30.8', { inactiveRevisionDeletionGracePeriodSeconds: 2 }, tags);
      await mesh.serving(old);
      s.note(`istiod Deployments: ${(await mesh.istiods()).join(', ')}`);
    },
  );
}

describe('upgrade scenarios (the operator in-process, real releases and istiod)', () => {
  const w = {} as World;

  before(async () => {
    w.cluster = await startCluster({ nodes: 1, programs: istiodPrograms(), auditLog: true });
    w.kube = w.cluster.client();
    for (const obj of installer) await w.kube.objects.apply(obj, { ...field, force: true });
    w.operatorKube = connect(
      { file: w.cluster.kubeconfigPath },
      {
        impersonation: {
          user: operatorUser,
          groups: [
            'system:serviceaccounts',
            `system:serviceaccounts:${operatorNamespace}`,
            'system:authenticated',
          ],
        },
      },
    );
    await eventually('MeshConfig served', async () => (await w.kube.objects.list(meshType), true), 30_000);
  });
  after(async () => {
    await w.cluster.stop();
  });

  it('A: canary upgrade: the tag moves, namespaces are relabelled, workloads restart, the old revision goes', async () => {
    const s = scenario('Scenario A: canary upgrade 1.30.8 -> 1.31.0 with a revision tag');
    const mesh = meshOf(w, 'canary');
    const operator = await s.step(
      `start the operator in-process (createOperator, real releases) as ${operatorUser}, with the installer's RBAC`,
      () => startInProcess(w.operatorKube),
    );
    try {
      await installOld(s, mesh, { prod: 'active' });
      await appsOnTagAndRevision(s, w, mesh);
      await upgradeWithMigration(s, w, mesh);
      await checkTagAndLabels(s, w, mesh);
      await bareHoldsOldRevision(s, w, mesh);
      await oldRevisionRemoved(s, w, mesh);
      await tornDown(s, w, mesh);
    } finally {
      const err = await operator.stop();
      assert.equal(err, undefined, 'the operator stopped cleanly');
    }
    await leastPrivilege(s, w);
  });

  it('B: the operator dies mid-migration; a new one resumes and restarts no Deployment twice', async () => {
    const s = scenario('Scenario B: the operator is killed in the middle of a migration');
    const mesh = meshOf(w, 'resume');
    const dying = dyingConnection(w.operatorKube, 2);
    const first = await s.step('start operator #1 in-process; its connection dies after 2 restarts', () =>
      startInProcess(dying.kube),
    );
    try {
      await installOld(s, mesh);
      const before = await sixApps(s, w, mesh);
      await killedAfterFirstBatch(s, w, { mesh, died: dying.died });
      await s.step(
        'stop operator #1 (every request it still makes fails, as a dead process sends none)',
        async () => {
          s.note(`operator #1 ended with: ${(await first.stop())?.message ?? 'no error'}`);
        },
      );
      await resumedByNewOperator(s, w, mesh);
      await restartedOnce(s, w, { mesh, before });
    } finally {
      await first.stop(); // stopping twice is harmless: the same ending is awaited
    }
  });

  it('C: the MeshConfig is deleted mid-migration; restarts stop, the control planes stay until forced', async () => {
    const s = scenario('Scenario C: the MeshConfig is deleted in the middle of a migration');
    const mesh = meshOf(w, 'midway');
    const operator = await s.step(`start the operator in-process as ${operatorUser}`, () =>
      startInProcess(w.operatorKube),
    );
    try {
      await installOld(s, mesh);
      const deletedAt = await deletedAfterFirstBatch(s, w, mesh);
      await blockedWhileUsed(s, w, { mesh, deletedAt });
      await forcedTeardownLeavesUsersObjects(s, w, mesh);
    } finally {
      assert.equal(await operator.stop(), undefined, 'the operator stopped cleanly');
    }
  });

  it('D: the lease is taken mid-batch; the operator stops at once and writes nothing after', async () => {
    const s = scenario('Scenario D: the lease is taken in the middle of a restart batch');
    const mesh = meshOf(w, 'taken');
    let lostAt = 0;
    const operator = await s.step(`start the operator in-process as ${operatorUser}, leading`, () =>
      startInProcess(w.operatorKube),
    );
    const ended = operator.ended.then((err) => {
      lostAt = Date.now();
      return err;
    });
    try {
      await installOld(s, mesh);
      await leaseTakenMidBatch(s, w, mesh);
      await s.step(
        'the operator stops with the lost lease as its error; no write of it after that (audit log)',
        async () => {
          const err = await ended;
          assert.ok(err, 'the run ended with an error, as a process exits non-zero');
          s.note(`ended with: ${err.message}`);
          const late = auditSince(w.cluster.auditLogPath ?? '', 0).filter(
            (e) =>
              e.impersonatedUser?.username === operatorUser &&
              isWrite(e) &&
              // A request already on its way over loopback when the loss was seen: 50 ms.
              Date.parse(e.requestReceivedTimestamp ?? '') > lostAt + 50,
          );
          assert.deepEqual(
            late.map((e) => `${e.verb} ${e.requestURI}`),
            [],
          );
        },
      );
    } finally {
      await operator.stop();
    }
  });
});

const tagged = 'team-tagged';
const direct = 'team-direct';
const bare = { ...podType, namespace: direct, name: 'bare' };

async function appsOnTagAndRevision(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const old = mesh.revision('1.30.8');
  await s.step(
    `namespace ${tagged} labelled istio.io/rev=prod (the tag), ${direct} labelled istio.io/rev=${old}; ` +
      `2 Deployments in each and a bare Pod in ${direct}: every pod is injected by ${old}`,
    async () => {
      await createNamespace(w, tagged, { 'istio.io/rev': 'prod' });
      await createNamespace(w, direct, { 'istio.io/rev': old });
      for (const ns of [tagged, direct]) {
        for (const app of ['web', 'api']) await w.kube.objects.apply(testDeployment(ns, app), field);
      }
      const container = { name: 'c', image: 'registry.invalid/bare:1' };
      await w.kube.objects.apply(
        { ...podType, metadata: { name: bare.name, namespace: direct }, spec: { containers: [container] } },
        field,
      );
      await allOn(w, [tagged, direct], old, 5);
      for (const [pod, rev] of await podRevisions(w, [tagged, direct])) s.note(`${pod}: istio.io/rev=${rev}`);
    },
  );
}

async function upgradeWithMigration(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await s.step(
    `upgrade to 1.31.0 with migrateNamespaces and restartWorkloads (batchSize 2): ${next} becomes active ` +
      `beside ${old}, and every Deployment's pod is restarted onto ${next}`,
    async () => {
      const strategy = {
        inactiveRevisionDeletionGracePeriodSeconds: 2,
        migrateNamespaces: true,
        restartWorkloads: { enabled: true, batchSize: 2 },
      };
      await mesh.apply('1.31.0', strategy, { prod: 'active' });
      await mesh.serving(next);
      await eventually(
        'Deployments on the new revision',
        async () => {
          const revs = await podRevisions(w, [tagged, direct]);
          return (
            revs.size === 5 &&
            [...revs].every(([pod, rev]) => rev === (pod === `${direct}/bare` ? old : next))
          );
        },
        minutes(3),
      );
      await allOn(w, [tagged], next, 2);
      for (const d of await deploymentsIn(w, [tagged, direct]))
        s.note(
          `Deployment ${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}: restarted for ${restartAnnotation(d) ?? '-'}`,
        );
    },
  );
}

async function checkTagAndLabels(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const next = mesh.revision('1.31.0');
  const name = `istio-revision-tag-prod-${mesh.system}`;
  await s.step(
    `the tag prod now injects through ${next}: webhook ${name} belongs to it and calls it`,
    async () => {
      const config = await w.kube.objects.get({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        name,
      });
      interface Hook {
        clientConfig: { service?: { name: string; namespace: string; path?: string } };
      }
      const hooks = (config as { webhooks?: Hook[] }).webhooks ?? [];
      assert.equal(config.metadata.labels?.['istio.io/rev'], next);
      assert.ok(hooks.length > 0);
      for (const hook of hooks) assert.equal(hook.clientConfig.service?.name, `istiod-${next}`);
      s.note(`labelled istio.io/rev=${next}; calls Service ${mesh.system}/istiod-${next}`);
    },
  );
  await s.step(
    `${direct} was relabelled istio.io/rev=${next}; ${tagged} keeps istio.io/rev=prod`,
    async () => {
      const label = async (ns: string) =>
        (await w.kube.objects.get({ ...namespaceType, name: ns })).metadata.labels?.['istio.io/rev'];
      assert.equal(await label(direct), next);
      assert.equal(await label(tagged), 'prod');
    },
  );
}

async function bareHoldsOldRevision(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await s.step(
    `the bare Pod still runs ${old}: it is reported (ManualRestartRequired), never deleted, and keeps ${old} ` +
      `installed; kubectl get meshconfig shows Active ${next}, Revisions 2/2`,
    async () => {
      const oldInUse = async () => (await mesh.get())?.status?.revisions?.find((r) => r.name === old)?.inUse;
      // Once the restarted Deployments' old pods are gone, the bare Pod alone holds the old revision.
      await eventually(
        'the bare Pod reported, and alone holding the old revision',
        async () => {
          const migration = (await mesh.get())?.status?.migration;
          return (
            migration?.manualRestartRequired?.join() === `${direct}/bare` && (await oldInUse())?.pods === 1
          );
        },
        minutes(1),
      );
      assert.ok(await w.kube.objects.find(bare), 'the bare Pod is still there');
      assert.deepEqual(await mesh.istiods(), [`istiod-${old}`, `istiod-${next}`]);
      const inUse = await oldInUse();
      assert.equal(inUse?.status, 'True');
      s.note(`${old} in use: ${inUse.message ?? ''}`);
      const printed = await kubectlGetMesh(w, mesh.name);
      s.note(printed.text);
      assert.equal(printed.column.ACTIVE, next);
      assert.equal(printed.column.REVISIONS, '2/2');
    },
  );
}

async function oldRevisionRemoved(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await s.step(
    `delete the bare Pod: nothing uses ${old} any more, so it is removed after the grace period (2 s); every ` +
      `pod runs ${next}; kubectl get meshconfig shows Active ${next}, Revisions 1/1`,
    async () => {
      await w.kube.objects.delete(bare, { gracePeriodSeconds: 0 });
      await eventually(
        'old revision removed',
        async () => (await mesh.istiods()).join() === `istiod-${next}`,
        minutes(2),
      );
      await allOn(w, [tagged, direct], next, 4);
      await eventually(
        'status settled',
        async () => (await kubectlGetMesh(w, mesh.name)).column.REVISIONS === '1/1',
        minutes(1),
      );
      const printed = await kubectlGetMesh(w, mesh.name);
      s.note(printed.text);
      assert.equal(printed.column.ACTIVE, next);
      assert.equal(printed.column.REVISIONS, '1/1');
      const upgrading = (await mesh.get())?.status?.conditions?.find((c) => c.type === 'Upgrading');
      s.note(`Upgrading=${upgrading?.status ?? '?'} (${upgrading?.message ?? ''})`);
    },
  );
}

async function tornDown(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  await s.step(
    `delete ${mesh.name} with spec.teardown.force (its namespaces still use the revision): the operator removes ` +
      `istiod, the tag and ${mesh.system}, and the MeshConfig goes`,
    async () => {
      await w.kube.objects.mergePatch(meshRef(mesh.name), { spec: { teardown: { force: true } } });
      await w.kube.objects.delete(meshRef(mesh.name));
      await eventually('MeshConfig gone', async () => (await mesh.get()) === undefined, minutes(2));
      assert.deepEqual(await mesh.istiods(), []);
    },
  );
}

async function leastPrivilege(s: Scenario, w: World): Promise<void> {
  await s.step(
    `audit log: every request of ${operatorUser} was allowed and covered by the installer's roles; every ` +
      'right of those roles was used, or is listed in docs/security.md with its reason',
    () => {
      const events = auditSince(w.cluster.auditLogPath ?? '', 0).filter(
        (e) => e.impersonatedUser?.username === operatorUser && e.stage !== 'ResponseStarted',
      );
      const verdict = rbacVerdict(
        events,
        installer,
        'meshop-operator',
        join(import.meta.dirname, '../../docs/security.md'),
      );
      s.note(`${String(events.length)} requests; rights used: ${[...verdict.used].sort().join(', ')}`);
      assert.ok(events.length > 100, 'the audit log holds the operator requests');
      assert.deepEqual(verdict.refused, [], 'requests refused');
      assert.deepEqual(verdict.uncovered, [], 'requests allowed only by some other binding');
      assert.deepEqual(verdict.unusedUndocumented, [], 'rights neither used nor documented');
      assert.deepEqual(verdict.documentedNotGranted, [], 'documented rights the roles do not hold');
      return Promise.resolve();
    },
  );
}

const resumeApps = 'resume-apps';
const sixNames = ['a', 'b', 'c', 'd', 'e', 'f'];

async function sixApps(s: Scenario, w: World, mesh: TestMesh): Promise<Map<string, number>> {
  const old = mesh.revision('1.30.8');
  return s.step(
    `namespace ${resumeApps} labelled istio.io/rev=${old} with 6 Deployments: all on ${old}; their generations noted`,
    async () => {
      await createNamespace(w, resumeApps, { 'istio.io/rev': old });
      for (const name of sixNames) await w.kube.objects.apply(testDeployment(resumeApps, name), field);
      await allOn(w, [resumeApps], old, 6);
      const generations = new Map(
        (await deploymentsIn(w, [resumeApps])).map((d) => [
          d.metadata.name ?? '',
          d.metadata.generation ?? 0,
        ]),
      );
      s.note([...generations].map(([n, g]) => `${n}: generation ${String(g)}`).join(', '));
      return generations;
    },
  );
}

async function killedAfterFirstBatch(
  s: Scenario,
  w: World,
  { mesh, died }: { mesh: TestMesh; died: Promise<undefined> },
): Promise<void> {
  const next = mesh.revision('1.31.0');
  await s.step(
    `upgrade to 1.31.0 with migrateNamespaces and restartWorkloads (batchSize 2); operator #1 dies right ` +
      `after restarting the first batch, before recording it: 2 Deployments carry restarted-for=${next}`,
    async () => {
      await mesh.apply('1.31.0', {
        inactiveRevisionDeletionGracePeriodSeconds: 2,
        migrateNamespaces: true,
        restartWorkloads: { enabled: true, batchSize: 2 },
      });
      let over = false;
      void died.then(() => (over = true));
      await eventually('operator #1 restarted the first batch', () => Promise.resolve(over), minutes(3));
      const restarted = (await deploymentsIn(w, [resumeApps])).filter((d) => restartAnnotation(d) === next);
      assert.equal(restarted.length, 2, 'exactly the first batch');
      s.note(`restarted before the kill: ${restarted.map((d) => d.metadata.name ?? '').join(', ')}`);
      const migration = (await mesh.get())?.status?.migration;
      s.note(`status.migration left behind: ${JSON.stringify(migration ?? null)}`);
    },
  );
}

async function resumedByNewOperator(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await s.step(
    `start operator #2 (a new createOperator): it resumes; all 6 Deployments end on ${next}, ${old} is removed`,
    async () => {
      const second = await startInProcess(w.operatorKube);
      try {
        await allOn(w, [resumeApps], next, 6);
        await eventually(
          'old revision removed',
          async () => (await mesh.istiods()).join() === `istiod-${next}`,
          minutes(2),
        );
        const migration = (await mesh.get())?.status?.migration;
        s.note(`status.migration: done ${String(migration?.done)} of ${String(migration?.total)}`);
      } finally {
        assert.equal(await second.stop(), undefined, 'operator #2 stopped cleanly');
      }
    },
  );
}

async function restartedOnce(
  s: Scenario,
  w: World,
  { mesh, before }: { mesh: TestMesh; before: Map<string, number> },
): Promise<void> {
  const next = mesh.revision('1.31.0');
  await s.step('no Deployment was restarted twice: each generation went up by exactly 1', async () => {
    for (const d of await deploymentsIn(w, [resumeApps])) {
      const name = d.metadata.name ?? '';
      s.note(`${name}: generation ${String(before.get(name))} -> ${String(d.metadata.generation)}`);
      assert.equal(d.metadata.generation, (before.get(name) ?? 0) + 1, `${name} restarted exactly once`);
      assert.equal(restartAnnotation(d), next);
    }
  });
}

const midwayApps = 'midway-apps';
const fourNames = ['a', 'b', 'c', 'd'];
const restartsIn = (namespace: string) => (e: AuditEvent) =>
  e.impersonatedUser?.username === operatorUser &&
  e.verb === 'patch' &&
  e.objectRef?.resource === 'deployments' &&
  e.objectRef.namespace === namespace &&
  e.stage !== 'ResponseStarted';

/**
 * Four Deployments in `namespace` on the old revision; the upgrade to 1.31.0 migrating it and restarting one at a
 * time; returns once the first has been restarted onto the new revision.
 */
async function upgradeUntilFirstRestart(
  w: World,
  mesh: TestMesh,
  namespace: string,
  restarts: Record<string, unknown> = {},
): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await createNamespace(w, namespace, { 'istio.io/rev': old });
  for (const name of fourNames) await w.kube.objects.apply(testDeployment(namespace, name), field);
  await allOn(w, [namespace], old, 4);
  await mesh.apply('1.31.0', {
    migrateNamespaces: true,
    restartWorkloads: { enabled: true, batchSize: 1, ...restarts },
  });
  await eventually(
    'first batch restarted',
    async () => (await deploymentsIn(w, [namespace])).some((d) => restartAnnotation(d) === next),
    minutes(3),
  );
}

/** Returns where the audit log stood when the MeshConfig was deleted. */
async function deletedAfterFirstBatch(s: Scenario, w: World, mesh: TestMesh): Promise<number> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  return s.step(
    `namespace ${midwayApps} on ${old} with 4 Deployments; upgrade to 1.31.0 restarting 1 at a time with 10 ` +
      `minutes between batches; once the first is restarted onto ${next}, delete the MeshConfig`,
    async () => {
      await upgradeUntilFirstRestart(w, mesh, midwayApps, { pauseBetweenBatches: '10m' });
      const mark = auditMark(w.cluster.auditLogPath ?? '');
      await w.kube.objects.delete(meshRef(mesh.name));
      const migration = (await mesh.get())?.status?.migration;
      s.note(`deleted with status.migration: done ${String(migration?.done)} of ${String(migration?.total)}`);
      return mark;
    },
  );
}

async function blockedWhileUsed(
  s: Scenario,
  w: World,
  { mesh, deletedAt }: { mesh: TestMesh; deletedAt: number },
): Promise<void> {
  const [old, next] = [mesh.revision('1.30.8'), mesh.revision('1.31.0')];
  await s.step(
    `the teardown waits: Reconciled=False TeardownBlocked names ${midwayApps}; istiod-${old} and istiod-${next} ` +
      'both stay; no Deployment was restarted after the deletion',
    async () => {
      await eventually(
        'TeardownBlocked',
        async () =>
          (await mesh.get())?.status?.conditions?.some(
            (c) =>
              c.type === 'Reconciled' && c.reason === 'TeardownBlocked' && c.message.includes(midwayApps),
          ) === true,
        minutes(1),
      );
      const blocked = (await mesh.get())?.status?.conditions?.find((c) => c.type === 'Reconciled');
      s.note(`Reconciled: ${blocked?.message ?? ''}`);
      assert.deepEqual(await mesh.istiods(), [`istiod-${old}`, `istiod-${next}`]);
      const restarted = (await deploymentsIn(w, [midwayApps])).filter((d) => restartAnnotation(d) === next);
      assert.equal(restarted.length, 1, 'only the batch restarted before the deletion');
      assert.deepEqual(
        auditSince(w.cluster.auditLogPath ?? '', deletedAt)
          .filter(restartsIn(midwayApps))
          .map((e) => e.requestURI),
        [],
        'no restart after the deletion',
      );
    },
  );
}

async function forcedTeardownLeavesUsersObjects(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  await s.step(
    `set spec.teardown.force: every object of ${mesh.name} goes (istiods, ${mesh.system}, webhooks); the ` +
      `user's namespace and its 4 Deployments stay`,
    async () => {
      await w.kube.objects.mergePatch(meshRef(mesh.name), { spec: { teardown: { force: true } } });
      await eventually('MeshConfig gone', async () => (await mesh.get()) === undefined, minutes(2));
      const selector = { labelSelector: `meshop.dev/mesh=${mesh.name}` };
      const left: string[] = [];
      for (const type of [
        deploymentType,
        { apiVersion: 'v1', kind: 'Service' },
        { apiVersion: 'v1', kind: 'ConfigMap' },
        { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
        { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
      ]) {
        left.push(
          ...(await w.kube.objects.list(type, selector)).items.map(
            (o) => `${o.kind} ${o.metadata.name ?? ''}`,
          ),
        );
      }
      assert.deepEqual(left, [], 'objects of the mesh left behind');
      await eventually(
        `${mesh.system} deleted`,
        async () => (await w.kube.objects.find({ ...namespaceType, name: mesh.system })) === undefined,
        minutes(2),
      );
      assert.equal((await deploymentsIn(w, [midwayApps])).length, 4, "the user's Deployments stay");
      assert.ok(
        await w.kube.objects.find({ ...namespaceType, name: midwayApps }),
        "the user's namespace stays",
      );
    },
  );
}

const takenApps = 'taken-apps';

async function leaseTakenMidBatch(s: Scenario, w: World, mesh: TestMesh): Promise<void> {
  const old = mesh.revision('1.30.8');
  await s.step(
    `namespace ${takenApps} on ${old} with 4 Deployments; upgrade to 1.31.0 restarting 1 at a time; once the ` +
      'first is restarted, a successor takes the lease',
    async () => {
      await upgradeUntilFirstRestart(w, mesh, takenApps);
      const now = microTime(Date.now());
      await w.kube.objects.mergePatch(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          namespace: operatorNamespace,
          name: 'meshop-operator',
        },
        {
          spec: { holderIdentity: 'successor', acquireTime: now, renewTime: now, leaseDurationSeconds: 3600 },
        },
      );
    },
  );
}
