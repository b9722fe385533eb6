// Reading a kubeconfig as kubectl does, with our own reader: what each user and cluster field puts on a request.
// (Every integration test reaches the real API server through this reader and the harness's kubeconfig.)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadKubeConfig } from '../../../src/kube/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshop-kubeconfig-file-'));
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(name: string, cluster: object, user: object, extra = ''): string {
  const path = join(dir, name, 'config');
  mkdirSync(join(dir, name), { recursive: true });
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'team-a' } }],
    'current-context': 'ctx',
  };
  writeFileSync(path, JSON.stringify(doc) + extra);
  return path;
}

async function requestOptions(path: string): Promise<RequestOptions> {
  const opts: RequestOptions = {};
  await loadKubeConfig({ file: path }).access.secure(opts);
  return opts;
}

describe('kubeconfig reading', () => {
  it('decodes -data fields: CA, client certificate and key', async () => {
    const path = kubeconfig(
      'data',
      { 'certificate-authority-data': b64('CA PEM'), 'tls-server-name': 'kubernetes' },
      { 'client-certificate-data': b64('CERT PEM'), 'client-key-data': b64('KEY PEM') },
    );
    const opts = await requestOptions(path);
    assert.equal(String(opts.ca), 'CA PEM');
    assert.equal(String(opts.cert), 'CERT PEM');
    assert.equal((opts.key as Buffer).toString(), 'KEY PEM');
    assert.equal(opts.servername, 'kubernetes');
    assert.equal(opts.rejectUnauthorized, undefined, 'the server certificate is checked');
    assert.equal(loadKubeConfig({ file: path }).namespace, 'team-a');
  });

  it("reads relative file paths from the kubeconfig's own directory, as kubectl does", async () => {
    const path = kubeconfig(
      'files',
      { 'certificate-authority': 'pki/ca.crt' },
      {
        'client-certificate': 'pki/me.crt',
        'client-key': join(dir, 'files', 'pki', 'me.key'),
      },
    );
    mkdirSync(join(dir, 'files', 'pki'));
    for (const f of ['ca.crt', 'me.crt', 'me.key']) writeFileSync(join(dir, 'files', 'pki', f), `${f} PEM`);
    const opts = await requestOptions(path);
    assert.deepEqual(
      [String(opts.ca), String(opts.cert), (opts.key as Buffer).toString()],
      ['ca.crt PEM', 'me.crt PEM', 'me.key PEM'],
    );
  });

  it('sends a bearer token, from tokenFile before token, and basic auth only without a token', async () => {
    writeFileSync(join(dir, 'token.txt'), 'from-file\n');
    const both = await requestOptions(
      kubeconfig('tokens', {}, { token: 'inline', tokenFile: join(dir, 'token.txt') }),
    );
    assert.deepEqual(both.headers, { Authorization: 'Bearer from-file' });
    const inline = await requestOptions(
      kubeconfig('token', {}, { token: 'inline', username: 'a', password: 'b' }),
    );
    assert.deepEqual(inline.headers, { Authorization: 'Bearer inline' });
    assert.equal(inline.auth, undefined);
    const basic = await requestOptions(kubeconfig('basic', {}, { username: 'a', password: 'b' }));
    assert.equal(basic.auth, 'a:b');
  });

  it('skips server verification only when the cluster says insecure-skip-tls-verify', async () => {
    const opts = await requestOptions(kubeconfig('insecure', { 'insecure-skip-tls-verify': true }, {}));
    assert.equal(opts.rejectUnauthorized, false);
  });

  it("impersonates the user's as / as-groups", async () => {
    const opts = await requestOptions(
      kubeconfig('as', {}, { token: 't', as: 'jane', 'as-groups': ['dev', 'ops'] }),
    );
    assert.deepEqual(opts.headers, {
      Authorization: 'Bearer t',
      'impersonate-user': 'jane',
      'impersonate-group': ['dev', 'ops'],
    });
  });

  it('runs an exec credential plugin (through client-node, loaded only for it)', async () => {
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-plugin' },
    };
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: ['-e', `console.log(${JSON.stringify(JSON.stringify(credential))})`],
      interactiveMode: 'Never',
    };
    const opts = await requestOptions(kubeconfig('exec', {}, { exec }));
    assert.equal((opts.headers as Record<string, string>).Authorization, 'Bearer from-plugin');
  });

  it('refuses what kubectl refuses, on one line', () => {
    const noServer = kubeconfig('noserver', { server: 'localhost' }, {});
    assert.throws(
      () => loadKubeConfig({ file: noServer }),
      /^KubeConfigError: kubeconfig .*: cluster "c" has no usable server URL$/,
    );
    const list = join(dir, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');
    assert.throws(
      () => loadKubeConfig({ file: list }),
      /not a valid kubeconfig: the document is not a mapping$/,
    );
  });
});
