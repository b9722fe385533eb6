// The test-facing API of the local control plane.
//
//   const cluster = await sharedCluster();   // the run's cluster (global setup), or one for this file
//   after(() => cluster.stop());             // a no-op for the run's cluster
//
// `startCluster()` always starts a new, private cluster (for tests that restart or break it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../src/kube/index.ts';
import { startCluster } from './cluster.ts';
import type { Cluster } from './cluster.ts';

export { startCluster, serviceCidr, podCidr, kubernetesServiceIp } from './cluster.ts';
export type { Cluster, ClusterOptions, PrivateCluster } from './cluster.ts';
export { issue } from './pki.ts';

/** Set by the global setup for every test process: the JSON description of the run's cluster. */
export const sharedClusterEnv = 'MESHOP_TEST_CLUSTER';

export interface ClusterDescription {
  dir: string;
  kubeconfigPath: string;
  server: string;
  binDir: string;
  auditLogPath: string | undefined;
}

export function describeCluster(c: Cluster): ClusterDescription {
  return {
    dir: c.dir,
    kubeconfigPath: c.kubeconfigPath,
    server: c.server,
    binDir: c.binDir,
    auditLogPath: c.auditLogPath,
  };
}

let own: Promise<Cluster> | undefined;

export function sharedCluster(): Promise<Cluster> {
  const file = process.env[sharedClusterEnv];
  if (file) return Promise.resolve(attach(JSON.parse(readFileSync(file, 'utf8')) as ClusterDescription));
  own ??= startCluster();
  return own;
}

/** A handle on a cluster someone else owns: stop() leaves it running. */
function attach(d: ClusterDescription): Cluster {
  return {
    ...d,
    kubeconfig: readFileSync(d.kubeconfigPath, 'utf8'),
    logFile: (component) => join(d.dir, 'logs', `${component}.log`),
    client: () => connect({ file: d.kubeconfigPath }),
    stop: () => Promise.resolve(),
  };
}
