// The harness cleans up after itself: stop() ends exactly the processes it started and removes the directory,
// and a test process that dies without stopping its cluster leaves no process behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../cluster/index.ts';
import { sweepStaleClusters } from '../cluster/cluster.ts';
import { pidAlive, recordedPids } from '../cluster/processes.ts';
import { eventually } from '../support/eventually.ts';

const child = fileURLToPath(new URL('../support/cluster-child.ts', import.meta.url));

describe('local cluster lifecycle', () => {
  it('stop() ends every component and removes the directory', async () => {
    const cluster = await startCluster({ nodes: 1 });
    const pids = recordedPids(cluster.dir);
    assert.equal(
      pids.length,
      6,
      'etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, pod runner',
    );
    assert.ok(pids.every(pidAlive));
    await cluster.stop();
    assert.ok(pids.every((p) => !pidAlive(p)));
    assert.equal(existsSync(cluster.dir), false);
  });

  it('a killed test process leaves no process behind', { timeout: 180_000 }, async () => {
    const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stdout }).once('line', resolve);
      proc.once('exit', (code) => {
        reject(new Error(`the child exited early (${String(code)})`));
      });
    });
    const dir = line.trim();
    const pids = recordedPids(dir);
    assert.equal(pids.length, 6);
    proc.kill('SIGKILL');
    await eventually(
      'every component of the killed process gone',
      () => Promise.resolve(pids.every((p) => !pidAlive(p))),
      30_000,
    );
    // The directory outlives the crash; the next start sweeps it.
    assert.ok(existsSync(dir));
    await sweepStaleClusters(dirname(dir));
    assert.equal(existsSync(dir), false);
  });
});
