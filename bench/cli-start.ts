// bench/cli-start: how long a `meshop` process takes for commands that do little work, so the figure is start-up:
// `--help`, `version --client`, and `status` against the local control plane (a MeshConfig, read and shown), run
// from the shipped bundle (and, for comparison, from the sources), beside the floor of the same Node starting with nothing to load, and `istioctl --help` when MESHOP_ISTIOCTL is
// set. Prints medians and ratios; asserts nothing (speed is measured here, never in tests).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundle } from '../hack/bundle.ts';
import type { KubeObject } from '../src/kube/index.ts';
import { meshType } from '../src/reconcile/index.ts';
import { meshConfigCrd } from '../src/api/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { median } from './stats.ts';
import { untilMeshConfigServed } from './wait.ts';

const sources = fileURLToPath(new URL('../bin/meshop.js', import.meta.url));
// What users run: the bundle (ADR 0022); the sources, what development runs, beside it.
const { cli: bin } = await bundle();
const runs = Number(process.env.BENCH_RUNS ?? '15');

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const samples: number[] = [];
  execFileSync(cmd, args, { stdio: 'ignore', env }); // warm-up: the compile cache, the page cache
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(cmd, args, { stdio: 'ignore', env });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const floor = timed(process.execPath, ['-e', '0']);
const rows: [string, number][] = [
  ['node -e 0 (the floor)', floor],
  ['meshop --help', timed(process.execPath, [bin, '--help'])],
  ['meshop version --client', timed(process.execPath, [bin, 'version', '--client'])],
  ['  --help from the sources', timed(process.execPath, [sources, '--help'])],
];
const cluster = await startCluster({ nodes: 1 });
try {
  const kube = cluster.client();
  await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { fieldManager: 'bench', force: true });
  await untilMeshConfigServed(kube, 30_000);
  await kube.objects.apply(
    { ...meshType, metadata: { name: 'bench' }, spec: { profile: 'minimal' } },
    { fieldManager: 'bench' },
  );
  const env = { ...process.env, KUBECONFIG: cluster.kubeconfigPath };
  rows.push(['meshop status', timed(process.execPath, [bin, 'status'], env)]);
  rows.push(['  status from the sources', timed(process.execPath, [sources, 'status'], env)]);
} finally {
  await cluster.stop();
}
const istioctl = process.env.MESHOP_ISTIOCTL;
if (istioctl) rows.push(['istioctl --help', timed(istioctl, ['--help'])]);
console.log(`CLI start-up: medians of ${String(runs)} runs`);
for (const [name, ms] of rows) {
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / floor).toFixed(2)}x the floor`);
}
