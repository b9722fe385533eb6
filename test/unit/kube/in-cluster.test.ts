import assert from 'node:assert/strict';
import type { RequestOptions } from 'node:https';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  InClusterConfigError,
  KubeConfigError,
  inClusterServer,
  loadInClusterConfig,
  loadKubeConfig,
} from '../../../src/kube/index.ts';
import type { InClusterSource, KubeConfigSource } from '../../../src/kube/index.ts';

const root = mkdtempSync(join(tmpdir(), 'meshop-in-cluster-'));
let dirs = 0;
const freshDir = (): string => {
  const dir = join(root, String(++dirs));
  mkdirSync(dir);
  return dir;
};

/** A mounted service-account directory holding the given files (token, ca.crt, namespace). */
function serviceAccount(files: Partial<Record<'token' | 'ca.crt' | 'namespace', string>>): string {
  const dir = freshDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const podFiles = { token: 'sa-token\n', 'ca.crt': 'not parsed at load', namespace: 'meshop-system\n' };
const pod = (serviceAccountDir: string): InClusterSource => ({
  host: '127.96.0.1',
  port: '443',
  serviceAccountDir,
});

/** A kubeconfig file whose server tells which one was loaded. */
function kubeconfig(server: string, dir = freshDir()): string {
  const path = join(dir, 'config');
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: '${server}'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: ctx, context: {cluster: c, user: u}}]
current-context: ctx
`,
  );
  return path;
}

/** A home directory with a .kube/config, or without one. */
function home(server?: string): string {
  const dir = freshDir();
  if (server === undefined) return dir;
  mkdirSync(join(dir, '.kube'));
  kubeconfig(server, join(dir, '.kube'));
  return dir;
}

function rejectsWith(source: KubeConfigSource, pattern: RegExp): void {
  assert.throws(
    () => loadKubeConfig(source),
    (err: unknown) => {
      assert.ok(err instanceof InClusterConfigError, 'an in-cluster error');
      assert.ok(err instanceof KubeConfigError, 'handled like any unusable kubeconfig');
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('loadKubeConfig precedence', () => {
  it('--kubeconfig wins over KUBECONFIG, the pod and the home file', () => {
    // GIVEN every source at once
    const source = {
      file: kubeconfig('https://flag:1'),
      envKubeconfig: kubeconfig('https://env:1'),
      inCluster: pod(serviceAccount(podFiles)),
      homeDir: home('https://home:1'),
    };
    // WHEN loading / THEN the flag's file is used
    assert.equal(loadKubeConfig(source).server, 'https://flag:1');
  });

  it('KUBECONFIG wins over the pod and the home file', () => {
    const source = {
      envKubeconfig: kubeconfig('https://env:1'),
      inCluster: pod(serviceAccount(podFiles)),
      homeDir: home('https://home:1'),
    };
    assert.equal(loadKubeConfig(source).server, 'https://env:1');
  });

  it('in a pod, the in-cluster configuration wins over the home file', () => {
    const dir = serviceAccount(podFiles);
    const loaded = loadKubeConfig({ inCluster: pod(dir), homeDir: home('https://home:1') });
    assert.equal(loaded.server, 'https://127.96.0.1:443');
    assert.equal(loaded.file, `in-cluster (${dir})`);
  });

  it('outside a pod (no KUBERNETES_SERVICE_HOST) the home file is used', () => {
    const source = { inCluster: {}, homeDir: home('https://home:1') };
    assert.equal(loadKubeConfig(source).server, 'https://home:1');
  });

  it('a pod without a token falls back to the home file, as controller-runtime does', () => {
    const source = { inCluster: pod(serviceAccount({ 'ca.crt': 'x' })), homeDir: home('https://home:1') };
    assert.equal(loadKubeConfig(source).server, 'https://home:1');
  });

  it('--context asks for a kubeconfig context, so it skips the in-cluster configuration', () => {
    const source = { context: 'ctx', inCluster: pod(serviceAccount(podFiles)), homeDir: home('https://h:1') };
    assert.equal(loadKubeConfig(source).server, 'https://h:1');
  });

  it('a pod without a token and without a home file names the missing token file', () => {
    // GIVEN the service env but no mounted token (automountServiceAccountToken: false) and no ~/.kube/config
    const dir = serviceAccount({ 'ca.crt': 'x' });
    // WHEN loading / THEN the error says what is missing, on one line
    rejectsWith(
      { inCluster: pod(dir), homeDir: home() },
      new RegExp(`^in-cluster: token file ${join(dir, 'token')} not found$`),
    );
  });
});

describe('loadInClusterConfig', () => {
  it('builds the configuration from the service env and the service-account files', async () => {
    // GIVEN a mounted service account
    const dir = serviceAccount(podFiles);
    // WHEN loading it
    const loaded = loadInClusterConfig(pod(dir));
    // THEN requests trust the mounted CA and carry the mounted token (read again as it rotates: see
    // in-cluster-https.test.ts), and the context carries the pod's namespace
    assert.equal(loaded.server, 'https://127.96.0.1:443');
    assert.equal(loaded.namespace, 'meshop-system');
    const opts: RequestOptions = {};
    await loaded.access.secure(opts);
    assert.equal(String(opts.ca), podFiles['ca.crt']);
    assert.deepEqual(opts.headers, { Authorization: 'Bearer sa-token' });
  });

  it('brackets an IPv6 service host', () => {
    assert.equal(inClusterServer({ host: 'fd00:10:96::1', port: '443' }, 'x'), 'https://[fd00:10:96::1]:443');
    assert.equal(
      inClusterServer({ host: 'kubernetes.default.svc', port: '6443' }, 'x'),
      'https://kubernetes.default.svc:6443',
    );
  });

  it('names each missing piece', () => {
    const dir = serviceAccount(podFiles);
    const fails = (source: InClusterSource, pattern: RegExp): void => {
      assert.throws(
        () => loadInClusterConfig(source),
        (err: unknown) => err instanceof InClusterConfigError && pattern.test(err.message),
      );
    };
    fails({ serviceAccountDir: dir }, /^in-cluster: KUBERNETES_SERVICE_HOST is not set$/);
    fails({ host: '127.96.0.1', serviceAccountDir: dir }, /^in-cluster: KUBERNETES_SERVICE_PORT is not set$/);
    fails({ host: '127.96.0.1', port: 'https', serviceAccountDir: dir }, /"https" is not a port number/);
    const noCa = serviceAccount({ token: 't' });
    fails(pod(noCa), new RegExp(`^in-cluster: CA file ${join(noCa, 'ca.crt')} not found$`));
    const emptyToken = serviceAccount({ token: ' \n', 'ca.crt': 'x' });
    fails(pod(emptyToken), /^in-cluster: token file .*token is empty$/);
  });
});
