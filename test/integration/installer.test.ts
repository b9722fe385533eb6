// The installer on the real API server: its objects apply, the operator Deployment becomes Available (KWOK),
// and the RBAC it grants is enough: the operator runs in-process as that ServiceAccount (impersonated) through
// a full install and teardown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readinessOf } from '../../src/apply/index.ts';
import { connect, refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { escalateRole, policyName, renderInstaller } from '../../src/installer/index.ts';
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

  it('keeps the far-reaching MeshConfig fields to holders of the escalate verb (its admission policy)', async () => {
    // What the installer applied (again, so this test also runs alone).
    for (const obj of renderInstaller({ namespace }).filter(
      (o) =>
        o.kind.startsWith('ValidatingAdmissionPolicy') ||
        o.kind === 'CustomResourceDefinition' ||
        o.metadata.name === escalateRole,
    )) {
      await admin.objects.apply(obj, { fieldManager: 'meshop-test', force: true });
    }
    await eventually('MeshConfig served', async () => (await admin.objects.list(meshType), true), 30_000);
    // A team allowed to write MeshConfigs, and nothing more.
    const team = uniqueName('mesh-editors');
    await admin.objects.apply(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: team },
        rules: [
          {
            apiGroups: ['meshop.dev'],
            resources: ['meshconfigs'],
            verbs: ['get', 'create', 'update', 'patch'],
          },
        ],
      },
      { fieldManager: 'meshop-test' },
    );
    const bind = (name: string, role: string, group: string): KubeObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    });
    await admin.objects.apply(bind(team, team, team), { fieldManager: 'meshop-test' });
    const as = (user: string, groups: string[]) =>
      connect(
        { file: cluster.kubeconfigPath },
        { impersonation: { user, groups: [...groups, 'system:authenticated'] } },
      ).objects;
    const alice = as('alice', [team]);
    const name = uniqueName('policy');
    const meshSpec = (spec: Record<string, unknown>) =>
      ({
        ...meshType,
        metadata: { name },
        spec: { profile: 'minimal', namespace: `${name}-system`, ...spec },
      }) as KubeObject;

    // The API server compiled every expression against the CRD's schema without a warning.
    const policy = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      name: policyName,
    };
    await eventually(
      'policy type-checked',
      async () => (await admin.objects.get(policy)).status !== undefined,
      30_000,
    );
    const status = (await admin.objects.get(policy)).status as {
      typeChecking?: { expressionWarnings?: unknown[] };
    };
    assert.deepEqual(status.typeChecking?.expressionWarnings ?? [], []);

    // Until the admission plugin has loaded the policy, a write may pass: wait for the first refusal.
    const refusal = async (obj: KubeObject, client = alice): Promise<string> => {
      try {
        await client.apply(obj, { fieldManager: 'team' });
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    };
    await eventually(
      'policy enforced',
      async () => {
        const message = await refusal(meshSpec({ values: { global: { logAsJson: true } } }));
        // Let through before the policy was loaded: start again from nothing.
        if (message === '') await admin.objects.delete(meshRef(name));
        return message.includes('spec.values: setting or changing it needs the verb "escalate"');
      },
      30_000,
    );
    await eventually(
      'nothing left from the first tries',
      async () => !(await admin.objects.find(meshRef(name))),
      30_000,
    );
    assert.equal(await admin.objects.find(meshRef(name)), undefined, 'the refused create left nothing');

    // The team may create and edit everything else; each restricted field is refused by name.
    assert.equal(await refusal(meshSpec({ components: { pilot: { k8s: { replicaCount: 2 } } } })), '');
    assert.equal(
      await refusal(
        meshSpec({ components: { ingressGateways: [{ name: 'gw', k8s: { replicaCount: 2 } }] } }),
      ),
      '',
      'a gateway added without restricted fields',
    );
    for (const [spec, field] of [
      [{ hub: 'docker.io/istio' }, 'spec.hub'],
      [
        {
          components: {
            ingressGateways: [{ name: 'gw', k8s: { overlays: [{ kind: 'Service', name: 'gw' }] } }],
          },
        },
        'spec.components.ingressGateways[*].k8s.overlays',
      ],
      [
        { components: { pilot: { k8s: { securityContext: { runAsUser: 0 } } } } },
        'spec.components.pilot.k8s.securityContext',
      ],
      [{ teardown: { removeCRDs: true } }, 'spec.teardown'],
      [{ updateStrategy: { restartWorkloads: { enabled: true } } }, 'spec.updateStrategy.restartWorkloads'],
    ] as const) {
      const message = await refusal(meshSpec(spec));
      assert.ok(message.includes(`${field}: setting or changing it`), `${field}: ${message}`);
      assert.match(message, /403|Forbidden/);
    }
    const adoption = meshSpec({});
    adoption.metadata.annotations = { 'meshop.dev/adopt-existing': 'true' };
    assert.match(await refusal(adoption), /adopt-existing'\]: setting or changing it/);

    // Whoever holds the verb sets them (here through the ClusterRole the installer ships); after that the team may
    // go on editing the rest, leaving those fields as they are, but not change them.
    const lead = as('lead', [`${team}-leads`]);
    await admin.objects.apply(bind(`${team}-leads`, team, `${team}-leads`), { fieldManager: 'meshop-test' });
    await admin.objects.apply(bind(`${team}-escalate`, escalateRole, `${team}-leads`), {
      fieldManager: 'meshop-test',
    });
    const withValues = {
      values: { global: { logAsJson: true } },
      components: { pilot: { k8s: { replicaCount: 2 } } },
    };
    await eventually(
      'lead may escalate',
      async () => (await refusal(meshSpec(withValues), lead)) === '',
      30_000,
    );
    assert.equal(
      await refusal(meshSpec({ ...withValues, components: { pilot: { k8s: { replicaCount: 3 } } } })),
      '',
      'an edit that leaves the values as they are',
    );
    assert.match(
      await refusal(meshSpec({ ...withValues, values: { global: { logAsJson: false } } })),
      /spec\.values: setting or changing it/,
    );
    await admin.objects.delete(meshRef(name));
    const rbac = 'rbac.authorization.k8s.io/v1';
    for (const binding of [team, `${team}-leads`, `${team}-escalate`]) {
      await admin.objects.delete({ apiVersion: rbac, kind: 'ClusterRoleBinding', name: binding });
    }
    await admin.objects.delete({ apiVersion: rbac, kind: 'ClusterRole', name: team });
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
