// node:test global setup: one local control plane for the whole run, described to every test process through
// an environment variable, and stopped when the run ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from './cluster.ts';
import type { Cluster } from './cluster.ts';
import { describeCluster, sharedClusterEnv } from './index.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';

let cluster: Cluster | undefined;

export async function globalSetup(): Promise<void> {
  // istiod of every release hack/istio.sh built runs for real (test/cluster/pods).
  cluster = await startCluster({ nodes: 2, programs: istiodPrograms() });
  const file = join(cluster.dir, 'cluster.json');
  writeFileSync(file, JSON.stringify(describeCluster(cluster)));
  process.env[sharedClusterEnv] = file;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
