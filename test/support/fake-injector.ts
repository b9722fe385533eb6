// A stand-in for istiod's sidecar injector on 127.0.0.1, for tests of upgrades. The mesh under test points its
// injector webhooks at it (values.istiodRemote.injectionURL = https://127.0.0.1:<port>/inject/<revision>), and it
// does the one thing the upgrade machinery reads from a real injection: it labels the pod with the revision
// whose webhook called (istio.io/rev), as istiod's injection template does. No proxy container is added.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Cluster } from '../cluster/index.ts';
import { clusterCaFile, loopbackServingCert } from './loopback-cert.ts';

export interface FakeInjector {
  /** The injection URL for a revision. */
  url(revision: string): string;
  /** base64 CA bundle the API server needs to trust it. */
  caBundle: string;
  /** Injections per revision. */
  injected: Map<string, number>;
  close(): Promise<void>;
}

interface Review {
  request: { uid: string; object?: { metadata?: { labels?: Record<string, string> } } };
}

function respond(review: Review, revision: string): string {
  const hasLabels = review.request.object?.metadata?.labels !== undefined;
  const patch = hasLabels
    ? [{ op: 'add', path: '/metadata/labels/istio.io~1rev', value: revision }]
    : [{ op: 'add', path: '/metadata/labels', value: { 'istio.io/rev': revision } }];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid: review.request.uid,
      allowed: true,
      patchType: 'JSONPatch',
      patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
    },
  });
}

export async function startFakeInjector(cluster: Cluster): Promise<FakeInjector> {
  const cert = loopbackServingCert(cluster, 'injector');
  const injected = new Map<string, number>();
  const server: Server = createServer(
    { cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const revision = decodeURIComponent((req.url ?? '').replace(/^\/inject\//, '').split('?')[0] ?? '');
        injected.set(revision, (injected.get(revision) ?? 0) + 1);
        res.setHeader('content-type', 'application/json');
        res.end(respond(JSON.parse(body) as Review, revision));
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (revision) => `https://127.0.0.1:${String(port)}/inject/${revision}`,
    caBundle: readFileSync(clusterCaFile(cluster)).toString('base64'),
    injected,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
