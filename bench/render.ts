// bench/render: how long rendering the demo profile takes, in-process and as a whole `meshop manifest generate`
// process, beside `istioctl manifest generate` of the same input measured in the same run. Prints medians and
// ratios; asserts nothing (speed is measured here, never in tests).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { renderMesh } from '../src/render/index.ts';
import { median } from './stats.ts';
import { testRelease } from '../test/support/render-fixtures.ts';

const bin = fileURLToPath(new URL('../bin/meshop.js', import.meta.url));
const istioctl = process.env.MESHOP_ISTIOCTL;
const runs = Number(process.env.BENCH_RUNS ?? '9');

function time(n: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

const { release, artifacts } = testRelease();
const spec = { profile: 'demo' };
const process_ = (cmd: string, args: string[]) => () => {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
};

time(5, () => renderMesh({ name: 'bench', spec }, release, artifacts)); // warm-up: JIT, module loading
const inProcess = time(runs * 10, () => renderMesh({ name: 'bench', spec }, release, artifacts));
const meshopCli = time(
  runs,
  process_(process.execPath, [bin, 'manifest', 'generate', '--set', 'profile=demo']),
);
const rows: [string, number][] = [
  ['meshop renderMesh (in-process)', inProcess],
  ['meshop manifest generate (process)', meshopCli],
];
if (istioctl) {
  rows.push([
    'istioctl manifest generate (process)',
    time(runs, process_(istioctl, ['manifest', 'generate', '--set', 'profile=demo'])),
  ]);
} else {
  console.log('MESHOP_ISTIOCTL is not set: no istioctl reference in this run');
}
const reference = rows[2]?.[1];
console.log(`render, demo profile: medians of ${String(runs)} runs (in-process: ${String(runs * 10)})`);
for (const [name, ms] of rows) {
  const ratio = reference ? `  ${(ms / reference).toFixed(2)}x istioctl` : '';
  console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms${ratio}`);
}
