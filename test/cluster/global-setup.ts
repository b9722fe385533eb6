// node:test global setup: one local control plane for the whole run, described to every test process through
// an environment variable, and stopped when the run ends.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from './cluster.ts';
import type { Cluster } from './cluster.ts';
import { describeCluster, sharedClusterEnv } from './index.ts';

let cluster: Cluster | undefined;

export async function globalSetup(): Promise<void> {
  cluster = await startCluster({ nodes: 2 });
  const file = join(cluster.dir, 'cluster.json');
  writeFileSync(file, JSON.stringify(describeCluster(cluster)));
  process.env[sharedClusterEnv] = file;
}

export async function globalTeardown(): Promise<void> {
  await cluster?.stop();
}
