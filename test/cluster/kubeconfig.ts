// The admin kubeconfig of a local cluster, with certificates embedded so the file stands on its own.
import { stringify } from 'yaml';
import { base64File } from './pki.ts';
import type { Pki } from './pki.ts';

export function adminKubeconfig(server: string, pki: Pki): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'meshop-test', cluster: { server, 'certificate-authority-data': base64File(pki.caCert) } },
    ],
    users: [
      {
        name: 'meshop-admin',
        user: {
          'client-certificate-data': base64File(pki.adminCert),
          'client-key-data': base64File(pki.adminKey),
        },
      },
    ],
    contexts: [{ name: 'meshop-test', context: { cluster: 'meshop-test', user: 'meshop-admin' } }],
    'current-context': 'meshop-test',
    preferences: {},
  });
}
