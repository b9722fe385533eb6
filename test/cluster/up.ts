// `make cluster-up`: starts a local control plane that outlives this command and prints how to use it.
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { clustersRoot, startCluster } from './cluster.ts';
import { describeCluster } from './index.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';

const current = join(clustersRoot(), 'current.json');
const started = Date.now();
try {
  const cluster = await startCluster({ dieWithParent: false, nodes: 2, programs: istiodPrograms() });
  mkdirSync(clustersRoot(), { recursive: true });
  writeFileSync(current, JSON.stringify(describeCluster(cluster), null, 2));
  process.stdout.write(
    `# local control plane up in ${((Date.now() - started) / 1000).toFixed(1)}s (${cluster.server}); logs in ${cluster.dir}/logs\n` +
      `export KUBECONFIG=${cluster.kubeconfigPath}\n` +
      `export PATH=${cluster.binDir}:$PATH   # the pinned kubectl\n` +
      `# stop it with: make cluster-down\n`,
  );
} catch (err) {
  process.stderr.write(`cluster-up: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
