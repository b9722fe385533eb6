// The installer on the real API server: its objects apply, the operator Deployment becomes Available (KWOK),
// and the RBAC it grants is enough: the operator runs in-process as that ServiceAccount (impersonated) through
// a full install and teardown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readinessOf } from '../../src/apply/index.ts';
import { connect, refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { removeOperator } from '../../src/cli/commands/operator-remove.ts';
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

describe('the operator installer', () => {
  let cluster: Cluster;
  let admin: KubeClient;
  const namespace = uniqueName('meshop');
  const mesh = uniqueName('rbac');

  before(async () => {
    cluster = await sharedCluster();
    admin = cluster.client();
  });
  after(async () => {
    await cluster.stop();
  });

  it('applies, and the operator Deployment becomes Available', async () => {
    for (const obj of renderInstaller({ namespace })) {
      await admin.objects.apply(obj, { fieldManager: 'meshop-test', force: true });
    }
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'meshop-operator' };
    await eventually(
      'operator Available',
      async () => readinessOf(await admin.objects.get(deployment)).ready,
      60_000,
    );
  });

  it('admits the operator under the restricted Pod Security Standard and refuses a root pod', async () => {
    // The Deployment above became Available, so its pods met the namespace's `restricted` level.
    await assert.rejects(
      admin.objects.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'root-shell', namespace },
        spec: {
          containers: [
            { name: 'sh', image: 'registry.example/shell:1', securityContext: { privileged: true } },
          ],
        },
      }),
      /violates PodSecurity "restricted:latest"/,
    );
  });

  it('runs standbys behind a disruption budget with --replicas', async () => {
    for (const obj of renderInstaller({ namespace, replicas: 2 })) {
      await admin.objects.apply(obj, { fieldManager: 'meshop-test', force: true });
    }
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'meshop-operator' };
    await eventually(
      'two operator replicas Available',
      async () => {
        const d = await admin.objects.get<{ status?: { availableReplicas?: number } } & KubeObject>(
          deployment,
        );
        return d.status?.availableReplicas === 2;
      },
      60_000,
    );
    const pdb = await admin.objects.get<
      { status?: { expectedPods?: number; disruptionsAllowed?: number } } & KubeObject
    >({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace, name: 'meshop-operator' });
    await eventually(
      'the budget counts both pods and allows one disruption',
      async () => {
        const now = await admin.objects.get<typeof pdb>(refOf(pdb));
        return now.status?.expectedPods === 2 && now.status.disruptionsAllowed === 1;
      },
      60_000,
    );
  });

  it('grants enough to install and tear down a mesh, acting as the operator ServiceAccount', async () => {
    const asOperator = connect(
      { file: cluster.kubeconfigPath },
      {
        impersonation: {
          user: `system:serviceaccount:${namespace}:meshop-operator`,
          groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        },
      },
    );
    // The identity is really the ServiceAccount's: what its role leaves out is refused.
    await assert.rejects(
      asOperator.objects
        .list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: 'default', pageSize: 1 })
        .then(() =>
          asOperator.objects.get({
            apiVersion: 'v1',
            kind: 'Secret',
            namespace: 'default',
            name: 'anything',
          }),
        ),
      /403/,
    );
    const manager: Manager = await createOperator({
      kube: asOperator,
      artifactsRoot,
      logger: silentLogger(),
      leaderElection: { namespace, identity: 'rbac-test' },
    });
    const running = manager.start();
    try {
      await admin.objects.apply(
        { ...meshType, metadata: { name: mesh }, spec: { profile: 'default', namespace: `${mesh}-system` } },
        { fieldManager: 'meshop-test' },
      );
      await eventually(
        'Ready as the operator',
        async () =>
          (await admin.objects.get<MeshObject>(meshRef(mesh))).status?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ) === true,
        120_000,
      );
      await admin.objects.delete(meshRef(mesh));
      await eventually(
        'torn down as the operator',
        async () => (await admin.objects.find(meshRef(mesh))) === undefined,
        120_000,
      );
      const left = await admin.objects.list(
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { labelSelector: `meshop.dev/mesh=${mesh}` },
      );
      assert.deepEqual(left.items, []);
    } finally {
      manager.stop();
      await running;
    }
  });

  it('operator remove takes the disruption budget too, when there is one', async () => {
    for (const obj of renderInstaller({ namespace, replicas: 2 })) {
      await admin.objects.apply(obj, { fieldManager: 'meshop-test', force: true });
    }
    const lines: string[] = [];
    await removeOperator(admin, { namespace, purge: false, force: false, timeoutMs: 120_000 }, (line) =>
      lines.push(line),
    );
    assert.ok(lines.includes('poddisruptionbudget.policy/meshop-operator deleted'), lines.join('\n'));
    assert.equal(
      await admin.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: namespace }),
      undefined,
    );
  });
});
