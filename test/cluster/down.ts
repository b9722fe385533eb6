// `make cluster-down`: stops the cluster `make cluster-up` started and removes its directory.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { clustersRoot } from './cluster.ts';
import type { ClusterDescription } from './index.ts';
import { recordedPids, stopPid } from './processes.ts';

const current = join(clustersRoot(), 'current.json');
let desc: ClusterDescription | undefined;
try {
  desc = JSON.parse(readFileSync(current, 'utf8')) as ClusterDescription;
} catch {
  process.stdout.write('no local cluster is running (nothing started by make cluster-up)\n');
}
if (desc) {
  for (const pid of recordedPids(desc.dir).reverse()) await stopPid(pid);
  rmSync(desc.dir, { recursive: true, force: true });
  rmSync(current, { force: true });
  process.stdout.write(`stopped the local cluster in ${desc.dir}\n`);
}
