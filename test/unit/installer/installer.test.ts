// The installer's objects: least-privilege RBAC (one wildcard: `list`, for the namespace check), workload
// restarts in a role of their own, and a locked-down Deployment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meshConfigCrd } from '../../../src/api/index.ts';
import {
  installerObjectsLeftOut,
  pathText,
  renderInstaller,
  restrictedSpecPaths,
} from '../../../src/installer/index.ts';

describe('renderInstaller', () => {
  const objects = renderInstaller({ namespace: 'ops', image: 'registry.example/meshop:1' });
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`);

  it('installs namespace, CRD, identity, RBAC and the Deployment', () => {
    assert.deepEqual(kinds, [
      'Namespace/ops',
      'CustomResourceDefinition/meshconfigs.meshop.dev',
      'ValidatingAdmissionPolicy/meshop-meshconfig-restricted-fields',
      'ValidatingAdmissionPolicyBinding/meshop-meshconfig-restricted-fields',
      'ClusterRole/meshop-meshconfig-escalate',
      'ServiceAccount/meshop-operator',
      'ClusterRole/meshop-operator',
      'ClusterRoleBinding/meshop-operator',
      'ClusterRole/meshop-operator-workload-restarts',
      'ClusterRoleBinding/meshop-operator-workload-restarts',
      'Role/meshop-operator-leader-election',
      'RoleBinding/meshop-operator-leader-election',
      'Deployment/meshop-operator',
    ]);
  });

  const rulesOf = (list: typeof objects, name: string) =>
    (list.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name) as unknown as { rules: Rule[] })
      .rules;
  interface Rule {
    apiGroups: string[];
    resources: string[];
    verbs: string[];
  }

  it('grants a wildcard only for list, and no wildcard verb', () => {
    const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role') as unknown as {
      rules: Rule[];
    }[];
    const wild = roles.flatMap((r) => r.rules).filter((r) => JSON.stringify(r).includes('"*"'));
    assert.deepEqual(wild, [{ apiGroups: ['*'], resources: ['*'], verbs: ['list'] }]);
  });

  it('puts the rights to restart workloads in a role of their own, bound only when restarts are enabled', () => {
    const main = rulesOf(objects, 'meshop-operator');
    assert.ok(!main.some((r) => r.resources.includes('statefulsets') && r.verbs.includes('patch')));
    assert.deepEqual(rulesOf(objects, 'meshop-operator-workload-restarts'), [
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['patch'] },
    ]);
    const without = renderInstaller({ namespace: 'ops', workloadRestarts: false });
    assert.ok(!without.some((o) => o.metadata.name === 'meshop-operator-workload-restarts'));
    const deployment = without.find((o) => o.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: { args: string[] }[] } } };
    };
    assert.ok(deployment.spec.template.spec.containers[0]?.args.includes('--no-workload-restarts'));
    // Re-running init without restarts (and with one replica) deletes what an earlier run bound.
    assert.deepEqual(
      installerObjectsLeftOut({ namespace: 'ops', workloadRestarts: false }).map(
        (o) => `${o.kind}/${o.metadata.name ?? ''}`,
      ),
      [
        'ClusterRole/meshop-operator-workload-restarts',
        'ClusterRoleBinding/meshop-operator-workload-restarts',
        'PodDisruptionBudget/meshop-operator',
      ],
    );
  });

  it('runs non-root, read-only, without capabilities, with probes and leader election', () => {
    const d = objects.find((o) => o.kind === 'Deployment') as unknown as {
      spec: {
        template: {
          spec: { securityContext: Record<string, unknown>; containers: Record<string, unknown>[] };
        };
      };
    };
    const pod = d.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    const [c] = pod.containers;
    assert.ok(c);
    assert.equal(c.image, 'registry.example/meshop:1');
    assert.deepEqual(c.securityContext, {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    assert.ok((c.args as string[]).includes('--leader-elect'));
    assert.ok(c.livenessProbe && c.readinessProbe && c.resources);
  });

  it('labels its namespace to enforce the restricted Pod Security Standard', () => {
    const labels = objects.find((o) => o.kind === 'Namespace')?.metadata.labels ?? {};
    assert.equal(labels['pod-security.kubernetes.io/enforce'], 'restricted');
    assert.equal(labels['pod-security.kubernetes.io/warn'], 'restricted');
  });

  it('runs one replica and no disruption budget unless asked for more', () => {
    assert.ok(!kinds.some((k) => k.startsWith('PodDisruptionBudget/')));
    const ha = renderInstaller({ namespace: 'ops', replicas: 3 });
    const deployment = ha.find((o) => o.kind === 'Deployment') as unknown as { spec: { replicas: number } };
    assert.equal(deployment.spec.replicas, 3);
    const pdb = ha.find((o) => o.kind === 'PodDisruptionBudget') as unknown as {
      metadata: { namespace: string };
      spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
    };
    assert.equal(pdb.metadata.namespace, 'ops');
    assert.equal(pdb.spec.maxUnavailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'meshop-operator' });
  });

  it('leaves the MeshConfig policy out on request, and a later run with fewer options deletes it', () => {
    const without = renderInstaller({ namespace: 'ops', meshConfigPolicy: false });
    assert.ok(!without.some((o) => o.kind.startsWith('ValidatingAdmissionPolicy')));
    assert.deepEqual(
      installerObjectsLeftOut({ namespace: 'ops', meshConfigPolicy: false })
        .map((o) => `${o.kind}/${o.metadata.name ?? ''}`)
        .filter((k) => k.includes('meshconfig')),
      [
        'ValidatingAdmissionPolicy/meshop-meshconfig-restricted-fields',
        'ValidatingAdmissionPolicyBinding/meshop-meshconfig-restricted-fields',
        'ClusterRole/meshop-meshconfig-escalate',
      ],
    );
  });

  it('passes the operator --allow-pod-privileges-from-spec only when asked', () => {
    const argsOf = (list: typeof objects): string[] =>
      (
        list.find((o) => o.kind === 'Deployment') as unknown as {
          spec: { template: { spec: { containers: { args: string[] }[] } } };
        }
      ).spec.template.spec.containers[0]?.args ?? [];
    assert.ok(!argsOf(objects).includes('--allow-pod-privileges-from-spec'));
    assert.ok(
      argsOf(renderInstaller({ podPrivilegesFromSpec: true })).includes('--allow-pod-privileges-from-spec'),
    );
  });
});

describe('the MeshConfig admission policy', () => {
  interface Node {
    properties?: Record<string, Node>;
    items?: Node;
  }
  /** Every path of the CRD schema's spec, `[*]` for list elements. */
  function schemaPaths(node: Node, at: string): string[] {
    if (node.items) return schemaPaths(node.items, `${at}[*]`);
    return Object.entries(node.properties ?? {}).flatMap(([k, child]) => [
      `${at}.${k}`,
      ...schemaPaths(child, `${at}.${k}`),
    ]);
  }
  const crd = meshConfigCrd() as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: { properties: { spec: Node } } } }[] };
  };
  const all = schemaPaths(crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec, 'spec');
  const restricted = restrictedSpecPaths().map(pathText);

  it("restricts every k8s block's overlays and security context, and every hub and tag, of the CRD's schema", () => {
    const expected = all.filter((p) => /\.k8s\.(overlays|securityContext)$|\.(hub|tag)$/.test(p));
    assert.ok(expected.length > 30, `${String(expected.length)} paths`);
    for (const path of expected) assert.ok(restricted.includes(path), path);
    for (const path of [
      'spec.values',
      'spec.unvalidatedValues',
      'spec.teardown',
      'spec.updateStrategy.restartWorkloads',
    ]) {
      assert.ok(restricted.includes(path), path);
    }
  });

  it('names only paths the schema has, so the API server can type-check each expression', () => {
    for (const path of restricted) assert.ok(all.includes(path), path);
  });

  it('leaves the rest to anyone who may write MeshConfigs: profile, version, revision, components on and off', () => {
    for (const free of [
      'spec.profile',
      'spec.version',
      'spec.revision',
      'spec.components.pilot.enabled',
      'spec.components.pilot.k8s.replicaCount',
    ]) {
      assert.ok(!restricted.some((r) => free === r || free.startsWith(`${r}.`)), free);
    }
  });
});
