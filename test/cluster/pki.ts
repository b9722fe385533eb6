// Certificates for a local cluster, made with Debian's openssl: one CA, the API server's serving certificate,
// an admin client certificate (group system:masters), the service-account signing key, and serving
// certificates for test webhooks on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

export interface Issued {
  certFile: string;
  keyFile: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(file: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

export interface CertRequest {
  name: string;
  subject: string;
  /** `serverAuth`, `clientAuth` or both. */
  usage: string;
  sans?: string[];
}

/** Issues a certificate signed by the cluster CA into `dir/<name>.{crt,key}`. */
export function issue(pki: Pick<Pki, 'caCert' | 'caKey' | 'dir'>, req: CertRequest): Issued {
  const keyFile = join(pki.dir, `${req.name}.key`);
  const csr = join(pki.dir, `${req.name}.csr`);
  const certFile = join(pki.dir, `${req.name}.crt`);
  const ext = join(pki.dir, `${req.name}.ext`);
  newKey(keyFile);
  openssl(['req', '-new', '-key', keyFile, '-subj', req.subject, '-out', csr]);
  const lines = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${req.usage}`,
  ];
  if (req.sans?.length) lines.push(`subjectAltName=${req.sans.join(',')}`);
  writeFileSync(ext, lines.join('\n') + '\n');
  openssl(
    ['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey, '-CAcreateserial'].concat([
      '-days',
      '365',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      certFile,
    ]),
  );
  return { certFile, keyFile };
}

export function createPki(dir: string, serviceIp: string): Pki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  newKey(caKey);
  openssl(
    ['req', '-x509', '-new', '-key', caKey, '-subj', '/CN=meshop-test-ca', '-days', '365', '-sha256']
      .concat([
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ])
      .concat(['-out', caCert]),
  );
  const ca = { dir, caCert, caKey };
  const dnsNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'].concat([
    'kubernetes.default.svc.cluster.local',
  ]);
  const sans = dnsNames.map((n) => `DNS:${n}`).concat(['IP:127.0.0.1', 'IP:::1', `IP:${serviceIp}`]);
  const apiserver = issue(ca, {
    name: 'apiserver',
    subject: '/CN=kube-apiserver',
    usage: 'serverAuth',
    sans,
  });
  const admin = issue(ca, {
    name: 'admin',
    subject: '/O=system:masters/CN=meshop-admin',
    usage: 'clientAuth',
  });
  const saKey = join(dir, 'sa.key');
  const saPub = join(dir, 'sa.pub');
  newKey(saKey);
  openssl(['pkey', '-in', saKey, '-pubout', '-out', saPub]);
  return {
    ...ca,
    apiserverCert: apiserver.certFile,
    apiserverKey: apiserver.keyFile,
    adminCert: admin.certFile,
    adminKey: admin.keyFile,
    saKey,
    saPub,
  };
}

export function base64File(file: string): string {
  return readFileSync(file).toString('base64');
}
