// The real `meshop` process against the local control plane: status, tag and upgrade read what a MeshConfig's
// status says (written here through the status subresource, as the operator would) and what the cluster holds
// (a namespace and a Deployment on the old revision, a bare Pod); `upgrade --dry-run` changes nothing, `upgrade`
// changes only spec.version; `manifest diff` compares two files (with the cluster: cli-manifest-diff.test.ts).
// Exit codes, stdout and stderr are checked for each.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { meshConfigCrd } from '../../src/api/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { injectedPodMetadata } from '../support/injected-pod.ts';
import { assertOneErrorLine, runMeshop } from '../support/meshop-cli.ts';
import type { CliRun } from '../support/meshop-cli.ts';
import { uniqueName } from '../support/names.ts';
import { dropNamespace, withNamespace } from '../support/namespaces.ts';

const samples = fileURLToPath(new URL('../../config/samples/', import.meta.url));
const meshType = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig' };
const podType = { apiVersion: 'v1', kind: 'Pod' };
const nsType = { apiVersion: 'v1', kind: 'Namespace' };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const webhookType = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };
const field = { fieldManager: 'meshop-test' };

const condition = (type: string, status: string, reason: string) => ({
  type,
  status,
  reason,
  message: `${type} is ${status}`,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

describe('meshop status, tag, upgrade and manifest diff against the cluster', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let ns: string;
  const name = uniqueName('cli');
  const rev = `${name}-1-30-8`;
  const meshRef = { ...meshType, name };
  const meshop = (...args: string[]): Promise<CliRun> => runMeshop(cluster.kubeconfigPath, args);

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    ns = await withNamespace(kube, 'cli-app', { 'istio.io/rev': rev });
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name },
        spec: {
          profile: 'minimal',
          version: '1.30.8',
          namespace: uniqueName('cli-sys'),
          updateStrategy: {
            type: 'RevisionBased',
            migrateNamespaces: true,
            restartWorkloads: { enabled: true, batchSize: 2 },
          },
          revisionTags: { stable: 'active' },
        },
      },
      field,
    );
    await kube.objects.patchStatus(meshRef, {
      status: {
        conditions: [
          condition('Ready', 'True', 'ComponentsReady'),
          condition('Reconciled', 'True', 'Applied'),
        ],
        activeRevision: rev,
        revisionsReady: '1/1',
        revisions: [
          {
            name: rev,
            version: '1.30.8',
            ready: true,
            inUse: { status: 'True', reason: 'Referenced', namespaces: [ns], pods: 2, tags: ['stable'] },
          },
        ],
        tags: { stable: rev },
        components: [
          { name: 'base', phase: 'Healthy' },
          { name: 'pilot', revision: rev, phase: 'Healthy' },
          { name: 'istio-ingressgateway', revision: rev, phase: 'Reconciling', message: 'waiting for pods' },
        ],
      },
    });
    await kube.objects.apply(webDeployment(ns, rev), field);
    await kube.objects.apply(barePod(ns, rev), field);
    await eventually(
      'the Deployment has a pod',
      async () =>
        (await kube.objects.list(podType, { namespace: ns, labelSelector: 'app=web' })).items.length === 1,
      60_000,
    );
  });

  after(async () => {
    await kube.objects.delete(meshRef);
    await dropNamespace(kube, ns);
    await cluster.stop();
  });

  it('status: the summary and the details of the mesh, exit 0', async () => {
    const r = await meshop('status', '--name', name);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, new RegExp(`^NAME .*\\n${name} +1\\.30\\.8 +minimal +True +${rev} +1/1\\n`));
    assert.match(r.stdout, new RegExp(` {4}${rev} +1\\.30\\.8 +True +True +${ns} +2 +stable\\n`));
    assert.match(r.stdout, new RegExp(` {4}stable +active \\(${rev}\\) +${rev}\\n`));
    assert.match(r.stdout, / {2}Gateways:\n.*\n {4}istio-ingressgateway .* Reconciling +waiting for pods\n/);
  });

  it('status -o json: the MeshConfig itself, without managedFields', async () => {
    const r = await meshop('status', '--name', name, '-o', 'json');
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as KubeObject & { status: { activeRevision: string } };
    assert.equal(doc.metadata.name, name);
    assert.equal(doc.status.activeRevision, rev);
    assert.equal(doc.metadata.managedFields, undefined);
  });

  it('status: an unknown --name is exit 2 with one line; a bad -o is a usage error', async () => {
    const r = await meshop('status', '--name', 'no-such-mesh');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assertOneErrorLine(r);
    assert.match(r.stderr, /MeshConfig "no-such-mesh" not found/);
    assert.equal((await meshop('status', '-o', 'xml')).code, 2);
  });

  it('tag set and remove edit spec.revisionTags; a tag named like a revision is refused', async () => {
    const set = await meshop('tag', 'set', 'canary', '--revision', rev, '--name', name);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, new RegExp(`^tag canary -> ${rev} set in MeshConfig ${name}`));
    assert.deepEqual(await specTags(), { stable: 'active', canary: rev });

    const clash = await meshop('tag', 'set', rev, '--revision', 'active', '--name', name);
    assert.equal(clash.code, 2);
    assertOneErrorLine(clash);
    assert.match(clash.stderr, new RegExp(`tag "${rev}" has the name of a revision of MeshConfig ${name}`));
    const unknown = await meshop('tag', 'set', 'x', '--revision', 'nope', '--name', name);
    assert.equal(unknown.code, 2);
    assert.deepEqual(await specTags(), { stable: 'active', canary: rev });

    const removed = await meshop('tag', 'remove', 'canary', '--name', name);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(await specTags(), { stable: 'active' });
    const again = await meshop('tag', 'remove', 'canary', '--name', name);
    assert.equal(again.code, 2);
    assertOneErrorLine(again);
  });

  it('tag list joins spec, status and the live tag webhooks', async () => {
    const hook = tagWebhook(name, 'stable', rev);
    await kube.objects.apply(hook, field);
    try {
      const r = await meshop('tag', 'list', '--name', name);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^MESH +TAG +SPEC +APPLIED +WEBHOOK +STATE\n/);
      assert.match(r.stdout, new RegExp(`${name} +stable +active \\(${rev}\\) +${rev} +${rev} +Applied\\n`));
    } finally {
      await kube.objects.delete({ ...webhookType, name: hook.metadata.name! });
    }
  });

  it('upgrade --dry-run prints the plan and changes nothing', async () => {
    const before = await snapshot();
    const r = await meshop('upgrade', '--version', '1.31.0', '--name', name, '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const next = `${name}-1-31-0`;
    assert.match(
      r.stdout,
      new RegExp(`^Upgrade plan for MeshConfig ${name}:\\n {2}Version: 1\\.30\\.8 -> 1\\.31\\.0\\n`),
    );
    assert.match(r.stdout, new RegExp(`new revision ${next} is installed beside ${rev}\\n`));
    assert.match(r.stdout, new RegExp(`Tags moving to ${next}: stable \\(active\\)\\n`));
    assert.match(
      r.stdout,
      new RegExp(
        `Namespaces relabelled istio\\.io/rev=${rev} -> ${next} \\(migrateNamespaces\\):\\n {4}${ns}\\n`,
      ),
    );
    assert.match(
      r.stdout,
      new RegExp(`Workloads restarted in batches of 2.*:\\n {4}Deployment ${ns}/web\\n`),
    );
    assert.match(r.stdout, new RegExp(`Manual restart required .*:\\n {4}Pod ${ns}/bare\\n`));
    assert.match(r.stdout, /Version skew: ok\nDry run: nothing was changed\.\n$/);
    assert.deepEqual(await snapshot(), before);
  });

  it('upgrade: an unknown version is exit 2 before the cluster is touched', async () => {
    const r = await meshop('upgrade', '--version', '9.9.9', '--name', name);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assertOneErrorLine(r);
    assert.match(r.stderr, /unknown Istio version "9\.9\.9"/);
  });

  it('upgrade: the skew guard refuses a downgrade (exit 1, nothing changed) unless the annotation allows it', async () => {
    const other = uniqueName('cli-skew');
    const ref = { ...meshType, name: other };
    await kube.objects.apply({ ...meshType, metadata: { name: other }, spec: { version: '1.31.0' } }, field);
    try {
      await kube.objects.patchStatus(ref, {
        status: { activeRevision: 'default', revisions: [{ name: 'default', version: '1.31.0' }] },
      });
      const refused = await meshop('upgrade', '--version', '1.30.8', '--name', other);
      assert.equal(refused.code, 1);
      assert.match(refused.stdout, /Version skew: refused: 1\.30\.8 is older than 1\.31\.0/);
      assertOneErrorLine(refused);
      assert.match(refused.stderr, /^meshop: upgrade refused by the version-skew guard: /);
      assert.equal(((await kube.objects.get(ref)).spec as { version: string }).version, '1.31.0');

      await kube.objects.mergePatch(ref, {
        metadata: { annotations: { 'meshop.dev/allow-version-skew': 'true' } },
      });
      const allowed = await meshop('upgrade', '--version', '1.30.8', '--name', other, '--dry-run');
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stdout, /Version skew: allowed by the annotation meshop\.dev\/allow-version-skew/);
    } finally {
      await kube.objects.delete(ref);
    }
  });

  it('upgrade patches spec.version and says what to watch', async () => {
    const r = await meshop('upgrade', '--version', '1.31.0', '--name', name);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`Upgrade started: MeshConfig ${name} now asks for 1\\.31\\.0 \\(RevisionBased\\)\\.\\n`),
    );
    assert.match(r.stdout, new RegExp(`Watch it with: meshop status --name ${name}\\n$`));
    const mesh = await kube.objects.get(meshRef);
    assert.equal((mesh.spec as { version: string }).version, '1.31.0');
    // The rest of the spec is untouched.
    assert.deepEqual((mesh.spec as { revisionTags: unknown }).revisionTags, { stable: 'active' });
  });

  it('manifest diff of two sample files: exit 1 and the diff; of the same file: exit 0, no output', async () => {
    const demo = join(samples, 'demo.yaml');
    const different = await meshop('manifest', 'diff', demo, join(samples, 'ambient.yaml'));
    assert.equal(different.code, 1, different.stderr);
    assert.match(
      different.stdout,
      /^Only in .*demo\.yaml \(\d+\):\n {2}Deployment istio-system\/istio-egressgateway\n/,
    );
    assert.match(
      different.stdout,
      /\nOnly in .*ambient\.yaml \(\d+\):\n[^]*\n {2}DaemonSet istio-system\/ztunnel\n/,
    );
    assert.match(different.stdout, /\nChanged \(\d+\):\n--- .*demo\.yaml: /);
    assertOneErrorLine(different);
    assert.match(different.stderr, /^meshop: the manifests differ: /);

    const same = await meshop('manifest', 'diff', demo, demo);
    assert.deepEqual(same, { code: 0, stdout: '', stderr: '' });
  });

  async function specTags(): Promise<unknown> {
    return ((await kube.objects.get(meshRef)).spec as { revisionTags?: unknown }).revisionTags;
  }

  /** resourceVersions of everything upgrade could touch. */
  async function snapshot(): Promise<string[]> {
    const objects = await Promise.all([
      kube.objects.get(meshRef),
      kube.objects.get({ ...nsType, name: ns }),
      kube.objects.get({ ...deploymentType, namespace: ns, name: 'web' }),
    ]);
    return objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}@${o.metadata.resourceVersion ?? ''}`);
  }
});

/** A Deployment whose pods look injected by `rev` (nothing injects in this test). */
function webDeployment(namespace: string, rev: string): KubeObject {
  return {
    ...deploymentType,
    metadata: { name: 'web', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: injectedPodMetadata(rev, { labels: { app: 'web' } }),
        spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1' }] },
      },
    },
  };
}

function barePod(namespace: string, rev: string): KubeObject {
  return {
    ...podType,
    metadata: { name: 'bare', namespace, ...injectedPodMetadata(rev, { name: 'bare' }) },
    spec: { containers: [{ name: 'bare', image: 'registry.invalid/bare:1' }] },
  };
}

function tagWebhook(mesh: string, tag: string, rev: string): KubeObject {
  return {
    ...webhookType,
    metadata: {
      name: `istio-revision-tag-${tag}-${mesh}`,
      labels: { 'istio.io/tag': tag, 'istio.io/rev': rev, 'meshop.dev/mesh': mesh },
    },
    webhooks: [],
  };
}
