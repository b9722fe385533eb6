// GIVEN the local control plane, WHEN the pinned kubectl uses the generated kubeconfig, THEN it talks to the
// cluster and both sides report the pinned Kubernetes version.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pinnedVersions } from '../cluster/binaries.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';

describe('kubectl against the local cluster', () => {
  let cluster: Cluster;
  let kubectl: (...args: string[]) => string;
  before(async () => {
    cluster = await sharedCluster();
    kubectl = (...args) =>
      execFileSync(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args], {
        encoding: 'utf8',
        input: '',
      });
  });
  after(() => cluster.stop());

  it('reports the pinned version for client and server', () => {
    const v = JSON.parse(kubectl('version', '-o', 'json')) as {
      clientVersion: { gitVersion: string; buildDate: string };
      serverVersion: { gitVersion: string; buildDate: string };
    };
    const pinned = pinnedVersions().KUBERNETES_VERSION;
    assert.equal(v.clientVersion.gitVersion, pinned);
    assert.equal(v.serverVersion.gitVersion, pinned);
    assert.match(v.serverVersion.buildDate, /^\d{4}-\d\d-\d\dT/);
  });

  it('lists the KWOK nodes as Ready', () => {
    const out = kubectl('get', 'nodes', '--no-headers');
    const lines = out.trim().split('\n');
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.match(line, /^kwok-node-\d+\s+Ready\s/);
  });

  it('applies and reads back an object server-side', () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kubectl-smoke', namespace: 'default' },
      data: { hello: 'world' },
    });
    execFileSync(
      join(cluster.binDir, 'kubectl'),
      ['--kubeconfig', cluster.kubeconfigPath, 'apply', '--server-side', '-f', '-'],
      {
        input: manifest,
      },
    );
    assert.equal(
      kubectl('get', 'configmap', 'kubectl-smoke', '-n', 'default', '-o', 'jsonpath={.data.hello}'),
      'world',
    );
    kubectl('delete', 'configmap', 'kubectl-smoke', '-n', 'default');
  });
});

describe("the machine's own kubectl, if it has one", () => {
  it('works with the generated kubeconfig', async (t) => {
    const found = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
    if (!found) {
      t.skip('no kubectl on PATH');
      return;
    }
    const cluster = await sharedCluster();
    const out = execFileSync(found, ['--kubeconfig', cluster.kubeconfigPath, 'get', 'nodes', '-o', 'name'], {
      encoding: 'utf8',
    });
    assert.match(out, /^node\/kwok-node-0$/m);
  });
});
