// The operator as it runs in a cluster: `meshop operator init` installs it, and the pod runner runs its
// Deployment's container the way a kubelet would, with no kubeconfig anywhere: the in-cluster configuration
// (service-account token from the TokenRequest API, the cluster CA, KUBERNETES_SERVICE_HOST/PORT), the
// installer's ServiceAccount and nothing more. It installs a demo mesh to Ready with the real istiod, repairs
// drift and tears the mesh down. This is the proof that the shipped RBAC is enough.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultOperatorImage } from '../../src/installer/index.ts';
import type { KubeClient } from '../../src/kube/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { registerPrograms } from '../cluster/pods/programs.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';
import { eventually } from '../support/eventually.ts';
import { runMeshop } from '../support/meshop-cli.ts';
import { shippedOperator } from '../support/shipped.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { applyMesh, deleteMesh, meshReady } from '../support/real-mesh.ts';

const operatorNamespace = 'meshop-system';

describe('the operator in a pod', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  const mesh = 'in-pod';
  const istiod = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'istio-system', name: 'istiod' };

  before(async () => {
    // A cluster of its own: an operator running in the shared cluster would reconcile every other test's meshes.
    cluster = await startCluster({ nodes: 2, programs: istiodPrograms() });
    kube = cluster.client();
    // The operator image's entrypoint is node and the compiled operator; here, node and its sources. Its
    // artifacts are the ones the image would carry.
    registerPrograms(cluster.dir, {
      [defaultOperatorImage]: {
        entrypoint: [process.execPath, shippedOperator()],
        extraArgs: ['--health-probe-bind-address=$(POD_IP):8081', `--istio-artifacts=${artifactsRoot}`],
      },
    });
  });
  after(async () => {
    await cluster.stop();
  });

  const operatorLog = (): string => {
    const dir = join(cluster.dir, 'logs', 'pods');
    const files = existsSync(dir)
      ? readdirSync(dir).filter((f) => f.startsWith(`${operatorNamespace}_`))
      : [];
    return files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  };

  it('operator init: the Deployment becomes Available once the real process answers /readyz', async () => {
    const r = await runMeshop(cluster.kubeconfigPath, ['operator', 'init']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deployment\.apps\/meshop-operator available/);
    // The pod runner started the operator; it holds the leader Lease as its own ServiceAccount.
    await eventually(
      'the operator leads',
      () => Promise.resolve(operatorLog().includes('Acquired lease')),
      60_000,
    );
  });

  it('installs the demo mesh to Ready with the real istiod', async () => {
    await applyMesh(kube, mesh, { profile: 'demo' });
    await meshReady(kube, mesh);
    const pod = (await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: 'istio-system' }))
      .items;
    assert.ok(pod.some((p) => p.metadata.name?.startsWith('istiod-')));
  });

  it('repairs drift: a deleted istiod Deployment comes back', async () => {
    const before = await kube.objects.get(istiod);
    await kube.objects.delete(istiod);
    await eventually(
      'istiod recreated by the operator in the pod',
      async () => {
        const now = await kube.objects.find(istiod);
        return now !== undefined && now.metadata.uid !== before.metadata.uid;
      },
      60_000,
    );
    await meshReady(kube, mesh);
  });

  it('tears the mesh down, and was never forbidden anything', async () => {
    // istiod wrote its self-signed root CA Secret (type istio.io/ca-root) into istio-system: that is istiod's
    // state, not a user's, so the namespace meshop created goes with the mesh.
    const caSecret = { apiVersion: 'v1', kind: 'Secret', namespace: 'istio-system', name: 'istio-ca-secret' };
    assert.ok(await kube.objects.find(caSecret), 'the real istiod wrote its CA Secret');
    await deleteMesh(kube, mesh);
    assert.equal(await kube.objects.find(istiod), undefined);
    await eventually(
      'istio-system gone',
      async () => !(await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: 'istio-system' })),
      60_000,
    );
    const forbidden = operatorLog()
      .split('\n')
      .filter((l) => /forbidden/i.test(l));
    assert.deepEqual(forbidden, []);
  });
});
