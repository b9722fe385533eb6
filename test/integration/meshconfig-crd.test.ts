// GIVEN the generated MeshConfig CRD on a real API server, WHEN a pasted IstioOperator spec and bad specs are
// applied, THEN the good one is stored unchanged, the bad ones are refused with the field path, and
// `kubectl explain` documents the fields.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const crd = parse(readFileSync(join(repo, 'crds', 'meshconfigs.meshop.dev.yaml'), 'utf8')) as KubeObject;
const iop = parse(
  readFileSync(join(repo, 'test', 'unit', 'api', 'testdata', 'istio-operator.yaml'), 'utf8'),
) as {
  spec: Record<string, unknown>;
};
const run = promisify(execFile);
const meshType = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig' };

function mesh(name: string, spec: Record<string, unknown>): KubeObject {
  return { ...meshType, metadata: { name }, spec };
}

describe('the MeshConfig CRD on a real API server', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    await eventually(
      'MeshConfig CRD Established',
      async () => {
        const c = await kube.objects.get({
          apiVersion: crd.apiVersion,
          kind: crd.kind,
          name: crd.metadata.name!,
        });
        const conds = (c.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
        return conds.some((x) => x.type === 'Established' && x.status === 'True');
      },
      30_000,
    );
  });
  after(async () => {
    for (const name of ['pasted', 'bad-revision', 'dup-gateways'])
      await kube.objects.delete({ ...meshType, name });
    await cluster.stop();
  });

  it('stores a pasted IstioOperator spec unchanged', async () => {
    await kube.objects.apply(mesh('pasted', iop.spec), { fieldManager: 'meshop-test' });
    const stored = await kube.objects.get({ ...meshType, name: 'pasted' });
    assert.deepEqual(stored.spec, iop.spec);
  });

  it('refuses an invalid revision, naming the field', async () => {
    await assert.rejects(
      kube.objects.apply(mesh('bad-revision', { revision: '1.30.8' }), { fieldManager: 'meshop-test' }),
      (err: Error) => {
        assert.match(err.message, /422 Invalid/);
        assert.match(err.message, /spec\.revision/);
        return true;
      },
    );
  });

  it('refuses duplicate gateway names, naming the field', async () => {
    const gw = { name: 'istio-ingressgateway', enabled: true };
    const spec = { components: { ingressGateways: [gw, gw] } };
    await assert.rejects(
      kube.objects.apply(mesh('dup-gateways', spec), { fieldManager: 'meshop-test' }),
      /spec\.components\.ingressGateways/,
    );
  });

  it("refuses an overlay that renames an object or widens a role's rules, naming the field", async () => {
    for (const path of ['metadata.name', 'rules[0].verbs', 'subjects.[0]']) {
      const overlay = { kind: 'ClusterRole', name: 'istiod', patches: [{ path, value: 'x' }] };
      const spec = { components: { pilot: { k8s: { overlays: [overlay] } } } };
      await assert.rejects(
        kube.objects.apply(mesh('bad-overlay', spec), { fieldManager: 'meshop-test' }),
        (err: Error) => {
          assert.match(err.message, /422 Invalid/);
          assert.match(err.message, /spec\.components\.pilot\.k8s\.overlays\[0\]\.patches\[0\]\.path/);
          return true;
        },
        path,
      );
    }
  });

  it('kubectl explain documents the components', async () => {
    // Established does not mean discovery and OpenAPI publishing have caught up: the short name and the
    // schema reach kubectl a moment later, so retry, each time with an empty discovery cache.
    let out = '';
    await eventually(
      'kubectl explain mesh.spec.components',
      async () => {
        const cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
        try {
          const res = await run(join(cluster.binDir, 'kubectl'), [
            '--kubeconfig',
            cluster.kubeconfigPath,
            '--cache-dir',
            cacheDir,
            'explain',
            'mesh.spec.components',
          ]);
          out = res.stdout;
          return out.includes('ingressGateways');
        } finally {
          await rm(cacheDir, { recursive: true, force: true });
        }
      },
      60_000,
    );
    assert.match(out, /KIND:\s+MeshConfig/);
    assert.match(out, /ingressGateways/);
    assert.match(out, /DESCRIPTION:\s+\S/);
  });
});
