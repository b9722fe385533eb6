// The pod runner as a process of the local cluster (started by cluster.ts beside KWOK; stopped with the cluster).
// Usage: node runner-main.ts <cluster dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../../src/kube/index.ts';
import { PodRunner } from './pod-runner.ts';

const clusterDir = process.argv[2];
if (!clusterDir) throw new Error('usage: runner-main.ts <cluster dir>');
const kubeconfig = join(clusterDir, 'admin.kubeconfig');
const kube = connect({ file: kubeconfig });
const server = new URL(kube.kubeconfig.server);
const log = (message: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), message, ...fields })}\n`);
};
const runner = new PodRunner({
  kube,
  clusterDir,
  clusterCa: readFileSync(join(clusterDir, 'pki', 'ca.crt'), 'utf8'),
  apiHost: server.hostname,
  apiPort: Number(server.port || 443),
  log,
});
const abort = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.on(sig, () => {
    abort.abort();
  });
log('Pod runner started', { server: kube.kubeconfig.server });
await runner.start(abort.signal);
