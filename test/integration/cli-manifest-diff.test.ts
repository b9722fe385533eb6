// `meshop manifest diff FILE --cluster` as a process against the local control plane: right after the objects
// were applied exactly as the operator applies them there is no difference (exit 0, no output); a hand edit
// shows as a diff and a deleted object as "only in the render" (exit 1), and the diff itself writes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyObject } from '../../src/apply/index.ts';
import { refOf } from '../../src/kube/index.ts';
import type { KubeClient } from '../../src/kube/index.ts';
import { inventoryKinds, ownedBySelector, renderMesh } from '../../src/render/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { assertOneErrorLine, runMeshop } from '../support/meshop-cli.ts';
import type { CliRun } from '../support/meshop-cli.ts';
import { uniqueName } from '../support/names.ts';
import { testRelease } from '../support/render-fixtures.ts';

describe('meshop manifest diff --cluster', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  const mesh = uniqueName('cli-diff');
  const sys = uniqueName('cli-diff-sys');
  // A revision of its own, so its injector selects only istio.io/rev=<mesh> and no other test's pods.
  const spec = { profile: 'minimal', revision: mesh, namespace: sys, version: '1.31.0' };
  const dir = mkdtempSync(join(tmpdir(), 'meshop-cli-diff-'));
  const file = join(dir, 'mesh.yaml');
  const meshop = (...args: string[]): Promise<CliRun> => runMeshop(cluster.kubeconfigPath, args);

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'meshop.dev/v1alpha1',
        kind: 'MeshConfig',
        metadata: { name: mesh },
        spec,
      }),
    );
    const { release, artifacts } = testRelease();
    // Exactly what the operator applies (its Namespace first), the way it applies it.
    for (const obj of renderMesh({ name: mesh, spec }, release, artifacts).objects) {
      await applyObject(kube.objects, obj);
    }
  });

  // Istio's CRDs stay, as the operator leaves them: every mesh shares them.
  after(async () => {
    for (const type of inventoryKinds) {
      const owned = await kube.objects
        .list(type, { labelSelector: ownedBySelector(mesh) })
        .catch(() => undefined);
      for (const o of owned?.items ?? []) await kube.objects.delete(refOf(o));
    }
    rmSync(dir, { recursive: true, force: true });
    await cluster.stop();
  });

  it('a freshly applied render: exit 0, no output', async () => {
    const r = await meshop('manifest', 'diff', file, '--cluster');
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  it('an edited and a deleted object: exit 1, the edit as a diff, the deleted one only in the render', async () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', namespace: sys, name: `istio-${mesh}` };
    const edited = await kube.objects.mergePatch(configMap, { data: { mesh: 'edited: by hand\n' } });
    await kube.objects.delete({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace: sys,
      name: `istiod-${mesh}`,
    });
    const r = await meshop('manifest', 'diff', file, '--cluster');
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stdout,
      new RegExp(`^Only in render of .*mesh\\.yaml \\(1\\):\\n {2}ServiceAccount ${sys}/istiod-${mesh}\\n`),
    );
    assert.match(
      r.stdout,
      new RegExp(`\\nChanged \\(1\\):\\n--- cluster: ConfigMap ${sys}/istio-${mesh}\\n`),
    );
    assert.match(r.stdout, /\n-\s+edited: by hand\n/);
    assertOneErrorLine(r);
    assert.match(
      r.stderr,
      /^meshop: the manifests differ: 0 only in cluster, 1 only in render of .*, 1 changed, \d+ unchanged\n$/,
    );
    // A dry run: nothing was written.
    assert.equal(
      (await kube.objects.get(configMap)).metadata.resourceVersion,
      edited.metadata.resourceVersion,
    );
  });
});
