// Never two writers: two operator replicas (the shipped bundle, real processes, leader election) and the API
// server frozen (SIGSTOP) longer than the lease while the leader is at work. When it thaws, the old leader has
// given up (its renew deadline passed: it fences its client and exits) and the standby takes over; the audit log
// must show every write of one replica before every write of the other, never interleaved. Each replica has an
// identity of its own (kubeconfig impersonation) so the log tells them apart.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import type { KubeClient } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { auditSince, isWrite } from '../support/audit-log.ts';
import type { AuditEvent } from '../support/audit-log.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import type { OperatorProcess } from '../support/operator-process.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';

const field = { fieldManager: 'meshop-chaos' };
const mesh = 'frozen';
const replicas = ['replica-a', 'replica-b'];
/** Longer than the lease (15 s): the leader's renew deadline (10 s) passes while the API server is frozen. */
const freezeMs = 20_000;

/** The cluster's kubeconfig, acting as `user` (with every right, as the admin it impersonates). */
function kubeconfigAs(cluster: PrivateCluster, user: string): string {
  const config = parse(cluster.kubeconfig) as { users: { user: Record<string, unknown> }[] };
  for (const u of config.users) Object.assign(u.user, { as: user, 'as-groups': ['system:masters'] });
  const path = join(cluster.dir, `kubeconfig-${user}`);
  writeFileSync(path, stringify(config));
  return path;
}

function apiServerPid(cluster: PrivateCluster): number {
  const file = readdirSync(join(cluster.dir, 'pids')).find((f) => f.endsWith('-kube-apiserver'));
  assert.ok(file, 'the API server pid is recorded');
  return Number(readFileSync(join(cluster.dir, 'pids', file), 'utf8'));
}

const ready = async (kube: KubeClient, generation?: number): Promise<boolean> => {
  const m = await kube.objects.find<MeshObject>(meshRef(mesh));
  const condition = m?.status?.conditions?.find((c) => c.type === 'Ready');
  return (
    condition?.status === 'True' && (generation === undefined || condition.observedGeneration === generation)
  );
};

describe('the API server frozen longer than the lease, two replicas', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  const running: OperatorProcess[] = [];

  before(async () => {
    cluster = await startCluster({ nodes: 1, auditLog: true });
    kube = cluster.client();
    const crd = renderInstaller().find((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(crd);
    await kube.objects.apply(crd, { ...field, force: true });
    await kube.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'meshop-system' } },
      field,
    );
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
  });
  after(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await cluster.stop();
  });

  it('never has two writers: the old leader stops before the new one starts', async () => {
    for (const user of replicas)
      running.push(startOperatorProcess(kubeconfigAs(cluster, user), artifactsRoot, true));
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name: mesh },
        spec: { profile: 'default', namespace: `${mesh}-system`, version: '1.30.8' },
      },
      field,
    );
    await eventually('Ready', () => ready(kube), 120_000);

    // Put the leader to work (a new version rolls istiod and the gateway), then freeze the API server under it.
    const changed = await kube.objects.apply<MeshObject>(
      {
        ...meshType,
        metadata: { name: mesh },
        spec: { profile: 'default', namespace: `${mesh}-system`, version: '1.31.0' },
      },
      field,
    );
    const pid = apiServerPid(cluster);
    process.kill(pid, 'SIGSTOP');
    try {
      await new Promise((r) => setTimeout(r, freezeMs));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await eventually('Ready on the new spec', () => ready(kube, changed.metadata.generation), 180_000).catch(
      async (err: unknown) => {
        // What a failure needs to be understood: the mesh's conditions and what each replica said last.
        const m = await kube.objects.find<MeshObject>(meshRef(mesh)).catch(() => undefined);
        process.stdout.write(`conditions: ${JSON.stringify(m?.status?.conditions ?? [])}\n`);
        for (const [i, p] of running.entries()) {
          const tail = p.output().trimEnd().split('\n').slice(-25).join('\n');
          process.stdout.write(`${replicas[i] ?? ''} (exit ${String(p.child.exitCode)}):\n${tail}\n`);
        }
        throw err;
      },
    );

    const writes = auditSince(cluster.auditLogPath ?? '', 0)
      .filter(
        (e: AuditEvent) =>
          isWrite(e) && e.stage === 'ResponseComplete' && (e.responseStatus?.code ?? 0) < 400,
      )
      .map((e) => ({ who: e.impersonatedUser?.username ?? '', at: e.requestReceivedTimestamp ?? '', e }))
      .filter((w) => replicas.includes(w.who))
      .sort((a, b) => a.at.localeCompare(b.at));
    // The writers in order, runs collapsed: the lease changed hands once (the leader could not renew through the
    // freeze), and never back.
    const hands = writes.map((w) => w.who).filter((who, i, all) => i === 0 || all[i - 1] !== who);
    process.stdout.write(
      `writes: ${String(writes.length)}; in turn: ${hands.join(' -> ')}; exit codes: ` +
        `${running.map((p) => String(p.child.exitCode)).join(', ')}\n`,
    );
    assert.equal(hands.length, 2, `writers took turns once: ${hands.join(' -> ')}`);
    const oldLeader = running[replicas.indexOf(hands[0] ?? '')];
    assert.equal(oldLeader?.child.exitCode, 1, 'the leader that lost the lease exited 1');
  });
});
