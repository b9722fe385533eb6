// The in-cluster configuration end to end through the project's client: a loopback HTTPS server stands in for
// the API server (serving a certificate signed by the mounted ca.crt) and records the Authorization header of
// every request, so the test sees what a real API server would authenticate.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { connect } from '../../../src/kube/index.ts';
import type { KubeClient } from '../../../src/kube/index.ts';
import { createPki } from '../../cluster/pki.ts';
import type { Pki } from '../../cluster/pki.ts';

const namespaceRef = { apiVersion: 'v1', kind: 'Namespace', name: 'default' };

// Just enough of the API server for ObjectClient.get of a Namespace: discovery of v1 and the object.
const answers: Record<string, unknown> = {
  '/api/v1': {
    kind: 'APIResourceList',
    resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false }],
  },
  '/api/v1/namespaces/default': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
};

interface FakeApiServer {
  port: number;
  /** The Authorization header of each request, in order. */
  seen: (string | undefined)[];
}

async function startApiServer(t: TestContext, pki: Pki, host: string): Promise<FakeApiServer> {
  const seen: (string | undefined)[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    seen.push(req.headers.authorization);
    const body = answers[new URL(req.url ?? '/', 'https://x').pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', code: 404, reason: 'NotFound' }));
  };
  const server = https.createServer(
    { cert: readFileSync(pki.apiserverCert), key: readFileSync(pki.apiserverKey) },
    handle,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, seen };
}

/** A mounted service account trusting the test CA; `now` is the clock the token's age is measured on. */
function podClient(
  pki: Pki,
  host: string,
  port: number,
  now: () => number,
): { client: KubeClient; token: string } {
  const dir = mkdtempSync(join(tmpdir(), 'meshop-sa-'));
  copyFileSync(pki.caCert, join(dir, 'ca.crt'));
  const token = join(dir, 'token');
  writeFileSync(token, 'token-1\n');
  const client = connect({ inCluster: { host, port: String(port), serviceAccountDir: dir, now } });
  return { client, token };
}

describe('in-cluster requests', () => {
  let pki: Pki;
  before(() => {
    pki = createPki(mkdtempSync(join(tmpdir(), 'meshop-pki-')), '127.96.0.1');
  });

  it('carry the current service-account token, and the rotated one once the minute is over', async (t) => {
    // GIVEN an API server on 127.0.0.1 and a pod whose client ages its token on a hand-moved clock
    const api = await startApiServer(t, pki, '127.0.0.1');
    let now = 0;
    const { client, token } = podClient(pki, '127.0.0.1', api.port, () => now);
    assert.equal(client.kubeconfig.server, `https://127.0.0.1:${api.port}`);
    // WHEN the client reads an object
    await client.objects.get(namespaceRef);
    // THEN discovery and the read both carried the mounted token, over TLS verified against the mounted CA
    assert.deepEqual(api.seen, ['Bearer token-1', 'Bearer token-1']);
    // WHEN the kubelet rotates the token
    writeFileSync(token, 'token-2\n');
    // THEN requests within the minute still use the cached token, and the first one after it the new token
    now += 59_000;
    await client.objects.get(namespaceRef);
    now += 1_000;
    await client.objects.get(namespaceRef);
    assert.deepEqual(api.seen.slice(2), ['Bearer token-1', 'Bearer token-2']);
  });

  it('reach an API server at an IPv6 service address', async (t) => {
    // GIVEN an API server on ::1 (the test CA's serving certificate names it), where the host has IPv6
    let api: FakeApiServer;
    try {
      api = await startApiServer(t, pki, '::1');
    } catch {
      t.skip('no IPv6 loopback on this host');
      return;
    }
    // WHEN a pod whose KUBERNETES_SERVICE_HOST is ::1 reads an object
    const { client } = podClient(pki, '::1', api.port, () => 0);
    await client.objects.get(namespaceRef);
    // THEN the bracketed URL reached the server
    assert.equal(client.kubeconfig.server, `https://[::1]:${api.port}`);
    assert.deepEqual(api.seen, ['Bearer token-1', 'Bearer token-1']);
  });
});
