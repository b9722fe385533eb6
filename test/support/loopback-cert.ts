// A serving certificate for a test server on 127.0.0.1, signed by the local cluster's CA, so the API server
// trusts it as a webhook (caBundle = the cluster CA).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issue } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';

export function loopbackServingCert(cluster: Cluster, name: string): { certFile: string; keyFile: string } {
  const ca = {
    dir: mkdtempSync(join(tmpdir(), `meshop-${name}-`)),
    caCert: join(cluster.dir, 'pki', 'ca.crt'),
    caKey: join(cluster.dir, 'pki', 'ca.key'),
  };
  return issue(ca, { name, subject: '/CN=127.0.0.1', usage: 'serverAuth', sans: ['IP:127.0.0.1'] });
}

export const clusterCaFile = (cluster: Cluster): string => join(cluster.dir, 'pki', 'ca.crt');
