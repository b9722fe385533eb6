import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KubeConfigError, kubeconfigPath, loadKubeConfig } from '../../../src/kube/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshop-kubeconfig-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const valid = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443/'}}]
users: [{name: u, user: {token: abc}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}, {name: other, context: {cluster: missing, user: u}}]
current-context: ctx
`;

function rejects(source: Parameters<typeof loadKubeConfig>[0], pattern: RegExp): void {
  assert.throws(
    () => loadKubeConfig(source),
    (err: unknown) => {
      assert.ok(err instanceof KubeConfigError);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes('\n'), 'the message is one line');
      return true;
    },
  );
}

describe('loadKubeConfig', () => {
  it('loads a valid file and trims the server URL', () => {
    const loaded = loadKubeConfig({ file: file('ok', valid) });
    assert.equal(loaded.server, 'https://127.0.0.1:6443');
    assert.equal(loaded.context, 'ctx');
  });

  it('names the file when it does not exist', () => {
    rejects({ file: join(dir, 'absent') }, /^kubeconfig .*absent: file not found$/);
  });

  it('names the file when it is not YAML', () => {
    rejects({ file: file('garbage', 'clusters: [\n  {') }, /^kubeconfig .*garbage: not a valid kubeconfig: /);
  });

  it('names the file when it is a directory', () => {
    rejects({ file: dir }, /is a directory/);
  });

  it('rejects a file without a current context', () => {
    rejects(
      { file: file('nocontext', 'apiVersion: v1\nkind: Config\nclusters: []\n') },
      /no current-context/,
    );
  });

  it('rejects an unknown --context and a context without a cluster', () => {
    const path = file('ctx', valid);
    rejects({ file: path, context: 'nope' }, /no context "nope"/);
    rejects({ file: path, context: 'other' }, /context "other" names no known cluster/);
  });

  it('resolves the path as kubectl does', () => {
    assert.equal(kubeconfigPath({ file: '/a', envKubeconfig: '/b:/c' }), '/a');
    assert.equal(kubeconfigPath({ envKubeconfig: ':/b:/c' }), '/b');
    assert.match(kubeconfigPath({}), /\.kube\/config$/);
  });
});
