// Run as a child process by the lifecycle test: starts a private cluster, prints its directory, then waits to be
// killed without any chance to clean up.
import { startCluster } from '../cluster/index.ts';

const cluster = await startCluster({ nodes: 1 });
process.stdout.write(`${cluster.dir}\n`);
setInterval(() => undefined, 1 << 30);
