// A tiny validating admission webhook on 127.0.0.1 for tests: denies objects labelled `deny=yes`, records
// every review it receives.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';

export interface AdmissionServer {
  url: string;
  reviews: { kind: string; name: string; operation: string }[];
  close(): Promise<void>;
}

interface AdmissionReview {
  request: {
    uid: string;
    operation: string;
    kind: { kind: string };
    object?: { metadata?: { name?: string; labels?: Record<string, string> } };
  };
}

export async function startAdmissionServer(certFile: string, keyFile: string): Promise<AdmissionServer> {
  const reviews: AdmissionServer['reviews'] = [];
  const server: Server = createServer(
    { cert: readFileSync(certFile), key: readFileSync(keyFile) },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body) as AdmissionReview;
        const r = review.request;
        reviews.push({ kind: r.kind.kind, name: r.object?.metadata?.name ?? '', operation: r.operation });
        const denied = r.object?.metadata?.labels?.deny === 'yes';
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            apiVersion: 'admission.k8s.io/v1',
            kind: 'AdmissionReview',
            response: {
              uid: r.uid,
              allowed: !denied,
              ...(denied ? { status: { message: 'denied by the test webhook' } } : {}),
            },
          }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${String(port)}/validate`,
    reviews,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
