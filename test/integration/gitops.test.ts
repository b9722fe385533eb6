// The GitOps files of docs/gitops.md on a real API server: the installer and a MeshConfig applied with
// `kubectl apply --server-side`, then applied again. The second apply is a no-op: `kubectl diff` finds nothing,
// kubectl's only writes are one server-side-apply patch per object, and not one stored object changed (same
// resourceVersion, same managedFields: the API server wrote nothing). The operator does not run here; what it
// writes is its own business (docs/gitops.md) and its zero-write resync is proven in operator-failures.test.ts.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderInstaller } from '../../src/installer/index.ts';
import { describeRef, refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { objectsToYaml } from '../../src/render/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { auditMark, auditSince, isWrite } from '../support/audit-log.ts';
import type { AuditEvent } from '../support/audit-log.ts';
import { eventually } from '../support/eventually.ts';
import type { DeploymentStatus } from '../support/workloads.ts';

const meshes = fileURLToPath(new URL('../../docs/gitops-example/meshes', import.meta.url));
const mesh: KubeObject = {
  apiVersion: 'meshop.dev/v1alpha1',
  kind: 'MeshConfig',
  metadata: { name: 'production' },
};

/** The Deployment controller is done with it: rolled out and Available, so it writes its status no more. */
function settled(d: KubeObject): boolean {
  const status = (d.status ?? {}) as DeploymentStatus;
  const want = (d.spec as { replicas: number }).replicas;
  const condition = (type: string) => status.conditions?.find((c) => c.type === type);
  return (
    status.observedGeneration === d.metadata.generation &&
    [status.replicas, status.updatedReplicas, status.readyReplicas, status.availableReplicas].every(
      (n) => n === want,
    ) &&
    condition('Available')?.status === 'True' &&
    condition('Progressing')?.reason === 'NewReplicaSetAvailable'
  );
}

describe('the GitOps files, applied twice with kubectl apply --server-side', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  let kubectl: (...args: string[]) => string;
  const installer = renderInstaller();
  const applied = [...installer, mesh];
  const dir = mkdtempSync(join(tmpdir(), 'meshop-gitops-'));
  const installYaml = join(dir, 'install.yaml');
  const applyAll = async () => {
    kubectl('apply', '--server-side', '-f', installYaml);
    // Not `kubectl wait --for=condition=Established`: it fails at once while a just-created CRD has no conditions.
    const established = '{.status.conditions[?(@.type=="Established")].status}';
    await eventually(
      'MeshConfig CRD Established',
      () =>
        Promise.resolve(
          kubectl('get', 'crd/meshconfigs.meshop.dev', '-o', `jsonpath=${established}`) === 'True',
        ),
      60_000,
    );
    kubectl('apply', '--server-side', '-k', meshes);
  };
  /** Every applied object as the API server stores it, by `Kind namespace/name`. */
  const snapshot = async (): Promise<Map<string, KubeObject>> => {
    const out = new Map<string, KubeObject>();
    for (const o of applied) out.set(describeRef(refOf(o)), await kube.objects.get(refOf(o)));
    return out;
  };

  before(async () => {
    // A private cluster: the audit log is needed, and the installer's cluster-scoped objects (ClusterRole
    // meshop-operator...) must not meet installer.test.ts's on the shared one.
    cluster = await startCluster({ nodes: 1, auditLog: true });
    kube = cluster.client();
    kubectl = (...args) =>
      execFileSync(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args], {
        encoding: 'utf8',
        input: '',
      });
    // GIVEN the installer, rendered as `make build-installer` writes it, and docs/gitops-example/meshes
    writeFileSync(installYaml, objectsToYaml(installer));
  });
  after(async () => {
    await cluster.stop();
  });

  it('applies the installer and the MeshConfig, and the operator Deployment settles', async () => {
    await applyAll();
    const deployment = refOf(installer.find((o) => o.kind === 'Deployment')!);
    await eventually(
      'operator Deployment rolled out',
      async () => settled(await kube.objects.get(deployment)),
      60_000,
    );
  });

  it('re-applies as a no-op: nothing to diff, one apply patch per object, nothing stored', async () => {
    const before = await snapshot();
    // WHEN a GitOps tool looks for drift: kubectl diff (a server-side dry-run apply) exits 0 for no difference
    for (const source of [
      ['-f', installYaml],
      ['-k', meshes],
    ]) {
      const diff = spawnSync(
        join(cluster.binDir, 'kubectl'),
        ['--kubeconfig', cluster.kubeconfigPath, 'diff', '--server-side', ...source],
        { encoding: 'utf8' },
      );
      assert.equal(diff.status, 0, `kubectl diff ${source.join(' ')}:\n${diff.stdout}${diff.stderr}`);
    }
    // ...and applies the same files again
    const auditLog = cluster.auditLogPath ?? '';
    const mark = auditMark(auditLog);
    await applyAll();
    // THEN kubectl's writes are exactly one server-side-apply PATCH per object (that is how apply asks)...
    const kubectlWrites = (): AuditEvent[] =>
      auditSince(auditLog, mark).filter((e) => e.userAgent?.startsWith('kubectl/') === true && isWrite(e));
    await eventually(
      'the re-apply audited',
      () => Promise.resolve(kubectlWrites().length >= applied.length),
      10_000,
    );
    assert.deepEqual(
      kubectlWrites().map((e) => `${e.verb} ${String(e.responseStatus?.code)}`),
      applied.map(() => 'patch 200'),
    );
    // ...and the API server stored none of them: every object is byte for byte what it was
    const afterwards = await snapshot();
    for (const [key, object] of before) {
      // Except one the API server itself stores again on every server-side apply, changed or not (seen with
      // kube-apiserver 1.37): the ValidatingAdmissionPolicy. Its spec must still be what it was; a GitOps tool
      // that diffs first (kubectl diff above: no difference) never re-applies it.
      if (object.kind === 'ValidatingAdmissionPolicy') {
        assert.deepEqual(afterwards.get(key)?.spec, object.spec, key);
        continue;
      }
      assert.equal(afterwards.get(key)?.metadata.resourceVersion, object.metadata.resourceVersion, key);
      assert.deepEqual(afterwards.get(key), object, key);
    }
  });
});
