// bench/render: how long rendering the demo profile takes with the release's charts: the first render of a
// process (engine start, every chart evaluated), a steady-state render of the same spec (the operator's resync:
// renders cached by input), a render after a spec change (charts re-evaluated), and a whole
// `meshop manifest generate` process beside `istioctl manifest generate` of the same input, in the same run.
// Prints medians and ratios; asserts nothing (speed is measured here, never in tests).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundle } from '../hack/bundle.ts';
import { renderMesh } from '../src/render/index.ts';
import { median } from './stats.ts';
import { testRelease } from '../test/support/render-fixtures.ts';

const sources = fileURLToPath(new URL('../bin/meshop.js', import.meta.url));
// What users run: the bundle (ADR 0022).
const { cli: shipped } = await bundle();
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

// The first render of a fresh process, timed inside it (no module loading in the figure).
const firstRender = () => {
  const script = `
    import { renderMesh } from ${JSON.stringify(new URL('../src/render/index.ts', import.meta.url).href)};
    import { testRelease } from ${JSON.stringify(new URL('../test/support/render-fixtures.ts', import.meta.url).href)};
    const { release, artifacts } = testRelease();
    const start = process.hrtime.bigint();
    renderMesh({ name: 'bench', spec: { profile: 'demo' } }, release, artifacts);
    console.log(Number(process.hrtime.bigint() - start) / 1e6);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
};
const first = median(Array.from({ length: Math.max(3, Math.floor(runs / 3)) }, firstRender));
time(5, () => renderMesh({ name: 'bench', spec }, release, artifacts)); // warm-up: JIT, module loading
const inProcess = time(runs * 10, () => renderMesh({ name: 'bench', spec }, release, artifacts));
// Values never rendered before (renders are cached beside the artifacts across processes, too).
let n = 1000 + (Date.now() % 1_000_000) * 10;
const changed = time(runs, () => {
  n += 1;
  renderMesh(
    { name: 'bench', spec: { ...spec, meshConfig: { defaultConfig: { concurrency: n } } } },
    release,
    artifacts,
  );
});
const generate = (bin: string) =>
  time(runs, process_(process.execPath, [bin, 'manifest', 'generate', '--set', 'profile=demo']));
const meshopCli = generate(shipped);
const meshopSources = generate(sources);
const rows: [string, number][] = [
  ['meshop renderMesh, first in a process', first],
  ['meshop renderMesh, same spec (steady state)', inProcess],
  ['meshop renderMesh, spec changed', changed],
  ['meshop manifest generate (process)', meshopCli],
  ['  the same from the sources', meshopSources],
];
if (istioctl) {
  rows.push([
    'istioctl manifest generate (process)',
    time(runs, process_(istioctl, ['manifest', 'generate', '--set', 'profile=demo'])),
  ]);
} else {
  console.log('MESHOP_ISTIOCTL is not set: no istioctl reference in this run');
}
const reference = rows[5]?.[1];
console.log(`render, demo profile: medians of ${String(runs)} runs (steady state: ${String(runs * 10)})`);
for (const [name, ms] of rows) {
  const ratio = reference ? `  ${(ms / reference).toFixed(2)}x istioctl` : '';
  console.log(`  ${name.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms${ratio}`);
}
