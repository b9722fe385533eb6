// bench/operator: the operator on a private local control plane (KWOK makes Deployments Available).
//  1. Cold install of the demo profile to Ready, beside the floor measured in the same run: `kubectl apply
//     --server-side` of the same rendered manifest plus `kubectl wait` for the same Deployments.
//  2. Drift repair: istiod's Deployment deleted -> recreated by the operator, p50/p99 over 20 trials.
//  3. Idle cost of a converged mesh over 60 s: write requests (API server audit log), RSS, CPU.
// Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../src/kube/index.ts';
import { createOperator } from '../src/operator/index.ts';
import { meshRef, meshType } from '../src/reconcile/index.ts';
import type { MeshObject } from '../src/reconcile/index.ts';
import { objectsToYaml, renderMesh } from '../src/render/index.ts';
import { silentLogger } from '../src/runtime/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { artifactsRoot, testRelease } from '../test/support/render-fixtures.ts';
import { meshConfigCrd } from '../src/api/index.ts';
import { percentile } from './stats.ts';
import { sleep, until, untilMeshConfigServed } from './wait.ts';

const trials = Number(process.env.BENCH_RUNS ?? '5');
const crd = meshConfigCrd() as unknown as KubeObject;

/** Timings here are short: poll every 20 ms so polling adds little to what is measured. */
const poll = 20;
const cluster = await startCluster({ nodes: 1, auditLog: true });
const kube: KubeClient = cluster.client();
const kubectl = (args: string[]): void => {
  execFileSync(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args], {
    stdio: 'ignore',
  });
};
await kube.objects.apply(crd, { fieldManager: 'bench', force: true });
await untilMeshConfigServed(kube, 300_000, poll);
const manager = await createOperator({ kube, artifactsRoot, logger: silentLogger() });
const running = manager.start();

const ready = async (name: string): Promise<boolean> =>
  (await kube.objects.find<MeshObject>(meshRef(name)))?.status?.conditions?.some(
    (c) => c.type === 'Ready' && c.status === 'True',
  ) === true;

async function operatorInstall(i: number): Promise<number> {
  const name = `bench-${String(i)}`;
  const start = performance.now();
  await kube.objects.apply(
    // Revisioned, in a namespace of its own: every trial's control plane stands beside the others, and nothing
    // cluster-scoped (the unrevisioned control plane's default validator) is rendered by two of them.
    {
      ...meshType,
      metadata: { name },
      spec: { profile: 'demo', namespace: `op-${String(i)}`, revision: `op-${String(i)}` },
    },
    { fieldManager: 'bench' },
  );
  await until(`${name} Ready`, () => ready(name), 300_000, poll);
  return performance.now() - start;
}

function kubectlInstall(i: number): number {
  const ns = `kc-${String(i)}`;
  const { release, artifacts } = testRelease();
  const objects = renderMesh(
    { name: `kc-${String(i)}`, spec: { profile: 'demo', namespace: ns, revision: ns } },
    release,
    artifacts,
  ).objects;
  const file = join(tmpdir(), `bench-${ns}.yaml`);
  writeFileSync(file, objectsToYaml(objects));
  const start = performance.now();
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=bench-kubectl', '-f', file]);
  kubectl(['wait', '--for=condition=Available', 'deployment', '--all', '-n', ns, '--timeout=300s']);
  return performance.now() - start;
}

const ours: number[] = [];
const floor: number[] = [];
for (let i = 0; i < trials; i++) {
  ours.push(await operatorInstall(i));
  floor.push(kubectlInstall(i));
}

const drift: number[] = [];
const istiod = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'op-0', name: 'istiod-op-0' };
for (let i = 0; i < 20; i++) {
  const before = await kube.objects.get(istiod);
  const start = performance.now();
  await kube.objects.delete(istiod);
  await until(
    'istiod recreated',
    async () => {
      const now = await kube.objects.find(istiod);
      return now !== undefined && now.metadata.uid !== before.metadata.uid;
    },
    300_000,
    poll,
  );
  drift.push(performance.now() - start);
  await until('bench-0 Ready', () => ready('bench-0'), 300_000, poll);
}

const auditLog = cluster.auditLogPath ?? '';
const mark = readFileSync(auditLog, 'utf8').length;
const cpu0 = process.cpuUsage();
await sleep(60_000);
const cpu = process.cpuUsage(cpu0);
// The bench sends nothing while it sleeps: every request by user agent meshop is the operator's. Watches it holds
// open are not counted (the API server logs each when it starts and when it ends).
const idleLines = readFileSync(auditLog, 'utf8')
  .slice(mark)
  .split('\n')
  .filter((l) => l.includes('"userAgent":"meshop"') && !l.includes('"verb":"watch"'));
const idleWrites = idleLines.filter((l) => /"verb":"(create|update|patch|delete)"/.test(l)).length;
// A request may be logged at more than one stage: counted once by its audit ID.
const idleRequests = new Set(idleLines.map((l) => /"auditID":"([^"]+)"/.exec(l)?.[1] ?? l)).size;

manager.stop();
await running;
await cluster.stop();

const median = (s: number[]): number => percentile(s, 50);
console.log(`operator, demo profile, ${String(trials)} installs (medians)`);
console.log(`  meshop: MeshConfig applied -> Ready            ${(median(ours) / 1000).toFixed(2)} s`);
console.log(`  floor: kubectl apply --server-side + wait       ${(median(floor) / 1000).toFixed(2)} s`);
console.log(
  `  ratio meshop / floor                            ${(median(ours) / median(floor)).toFixed(2)}x`,
);
console.log(`drift repair, istiod Deployment deleted -> recreated, 20 trials`);
console.log(`  p50 ${percentile(drift, 50).toFixed(0)} ms   p99 ${percentile(drift, 99).toFixed(0)} ms`);
console.log(`idle, converged mesh, 60 s (operator in the bench process)`);
console.log(`  requests by meshop: ${String(idleRequests)} (writes: ${String(idleWrites)})`);
console.log(
  `  CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms   RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
