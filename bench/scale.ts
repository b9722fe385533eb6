// bench/scale: the operator (the shipped bundle, a process of its own) on a local control plane that grows from
// 100 to 20,000 pods in 1,000 namespaces (KWOK runs them), with 5 MeshConfigs and 50 gateways, the pods on 3
// revisions.
// At each size it prints the operator's RSS and CPU, a full resync (the operator restarted: every cache listed
// again and every MeshConfig reconciled), reconcile time p50/p99 under a steady 100 pod and namespace changes
// per second (pods deleted and recreated, namespaces' injection turned off and on), and the API requests the
// converged operator sends per minute (audit log); then it draws bench/out/scale.png. References measured in the same run: a metadata-only LIST of every pod (the floor of any
// full resync) and an idle Node process's RSS. Asserts nothing: the goals are printed beside the figures.
//
// Pods are made by Deployments (the controller-manager and scheduler at a raised client rate, KWOK as kubelet)
// and look injected: they carry the sidecar status annotation and labels an injection writes, and opt out of the
// injection webhook (nothing serves it on KWOK), so each is counted on the revision its namespace asks for.
//
// BENCH_SCALE_SIZES (default 100,1000,5000,20000), BENCH_SCALE_NAMESPACES (1000), BENCH_SCALE_IDLE_S (60),
// BENCH_SCALE_CHURN_S (30) shrink it for a quick look.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundle } from '../hack/bundle.ts';
import { meshConfigCrd } from '../src/api/index.ts';
import { defaultChartEngineIdleReleaseMs } from '../src/charts/index.ts';
import type { KubeClient, KubeObject } from '../src/kube/index.ts';
import { meshRef, meshType } from '../src/reconcile/index.ts';
import type { MeshObject } from '../src/reconcile/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { freePort } from '../test/cluster/ports.ts';
import { startOperatorProcess } from '../test/support/operator-process.ts';
import type { OperatorProcess } from '../test/support/operator-process.ts';
import { artifactsRoot } from '../test/support/render-fixtures.ts';
import { buckets, parseMetrics, quantileBetween, total } from './prometheus-text.ts';
import type { Sample } from './prometheus-text.ts';
import { idleNodeRssMiB, rssMiB } from './process-memory.ts';
import { writeScalePlot } from './scale-plot.ts';
import type { ScalePoint } from './scale-plot.ts';
import { median } from './stats.ts';
import { sleep, until, untilMeshConfigServed } from './wait.ts';

const sizes = (process.env.BENCH_SCALE_SIZES ?? '100,1000,5000,20000').split(',').map(Number);
const namespaceCount = Number(process.env.BENCH_SCALE_NAMESPACES ?? '1000');
const idleSeconds = Number(process.env.BENCH_SCALE_IDLE_S ?? '60');
const churnSeconds = Number(process.env.BENCH_SCALE_CHURN_S ?? '30');
const changesPerSecond = 100;
/**
 * Three looks of the operator's idle memory reclaimer (every 5 s; it collects after two quiet ones), so what is
 * measured is what a quiet operator holds (ADR 0026).
 */
const idleReclaimSettleMs = 15_000;
const revisions = ['r1', 'r2', 'r3'];
const gatewaysPerMesh = 10;
const field = { fieldManager: 'bench-scale' };
const plotFile = fileURLToPath(new URL('out/scale.png', import.meta.url));
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * Five meshes, each a control plane of its own revision (r1 to r5) with ten ingress gateways, fifty in all; the
 * workloads use three of the revisions. (Gateway-only MeshConfigs on another mesh's revision, which would have
 * made five meshes on three revisions, did not become Ready in a trial run; not investigated yet.)
 */
function meshes(): KubeObject[] {
  const gateways = (mesh: string) =>
    Array.from({ length: gatewaysPerMesh }, (_, i) => ({ name: `${mesh}-gw-${String(i)}`, enabled: true }));
  return ['r1', 'r2', 'r3', 'r4', 'r5'].map((revision, i) => {
    const name = `mesh-${String(i + 1)}`;
    return {
      ...meshType,
      metadata: { name },
      spec: {
        profile: 'default',
        revision,
        namespace: `${name}-system`,
        components: { ingressGateways: gateways(name) },
      },
    };
  });
}

const namespaceName = (i: number): string => `app-${String(i).padStart(4, '0')}`;
const revisionOf = (i: number): string => revisions[i % revisions.length] ?? 'r1';

/** What istiod's injector leaves on a pod of revision `r` (its status names the revision). */
function injectedTemplate(r: string): KubeObject['metadata'] {
  const status = {
    initContainers: ['istio-init'],
    containers: ['istio-proxy'],
    volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data'],
    imagePullSecrets: null,
    revision: r,
  };
  return {
    labels: {
      app: 'scale',
      'security.istio.io/tlsMode': 'istio',
      'service.istio.io/canonical-name': 'scale',
      'service.istio.io/canonical-revision': 'latest',
      // Nothing serves the injection webhook on KWOK: the pod says it is injected already.
      'sidecar.istio.io/inject': 'false',
    },
    annotations: {
      'sidecar.istio.io/status': JSON.stringify(status),
      'istio.io/rev': r,
      'kubectl.kubernetes.io/default-container': 'app',
      'prometheus.io/path': '/stats/prometheus',
      'prometheus.io/port': '15020',
      'prometheus.io/scrape': 'true',
    },
  };
}

function deployment(i: number, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'scale', namespace: namespaceName(i) },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'scale' } },
      template: {
        metadata: injectedTemplate(revisionOf(i)),
        spec: {
          containers: [{ name: 'app', image: 'registry.invalid/scale:1' }],
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
    },
  };
}

/** Runs `work` over `items` with `width` at a time. */
async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Replicas per namespace for `pods` in all: spread evenly, the first namespaces one more. */
const replicasAt = (pods: number, i: number): number =>
  Math.floor(pods / namespaceCount) + (i < pods % namespaceCount ? 1 : 0);

async function availablePods(kube: KubeClient): Promise<number> {
  const { items } = await kube.objects.list({ apiVersion: 'apps/v1', kind: 'Deployment' });
  return items
    .filter((d) => d.metadata.name === 'scale')
    .reduce(
      (sum, d) => sum + ((d.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0),
      0,
    );
}

// The operator process and what /proc and /metrics say of it.
interface Running {
  process: OperatorProcess;
  metricsUrl: string;
}

async function startOperator(kubeconfig: string): Promise<Running> {
  const port = await freePort();
  const process = startOperatorProcess(kubeconfig, artifactsRoot, false, [
    '--metrics-bind-address',
    `127.0.0.1:${String(port)}`,
    '--log-level',
    'warn',
  ]);
  return { process, metricsUrl: `http://127.0.0.1:${String(port)}/metrics` };
}

async function scrape(op: Running): Promise<Sample[]> {
  return parseMetrics(await (await fetch(op.metricsUrl)).text());
}

const operatorRssMiB = (op: Running): number => rssMiB(op.process.child.pid);

/** CPU seconds (user + system) the process has used. */
function cpuSeconds(op: Running): number {
  const stat = readFileSync(`/proc/${String(op.process.child.pid)}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

const reconciles = (s: readonly Sample[]): number =>
  total(s, 'controller_runtime_reconcile_total', { controller: 'meshconfig' });

const reclaims = (s: readonly Sample[]): number => total(s, 'idle_memory_reclaim_duration_seconds_count');

/** Converged: the queue is empty and no reconcile ran for `quietMs`. */
async function untilQuiet(op: Running, quietMs: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const s = await scrape(op).catch(() => []);
    const count = reconciles(s);
    const depth = total(s, 'workqueue_depth', { name: 'meshconfig' });
    if (count !== last || depth > 0 || s.length === 0) {
      last = count;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await sleep(500);
  }
  throw new Error(`the operator did not settle within ${String(timeoutMs / 1000)}s`);
}

/** The bytes appended to `file` after `mark`. */
function readFrom(file: string, mark: number): string {
  const buffer = Buffer.alloc(statSync(file).size - mark);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, mark);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** Requests by user agent meshop in audit log lines, by verb (watches it holds open are not counted). */
function requestsByVerb(lines: string): Map<string, number> {
  const seen = new Map<string, string>();
  for (const l of lines.split('\n')) {
    if (!l.includes('"userAgent":"meshop"')) continue;
    const e = JSON.parse(l) as { auditID: string; verb: string; stage: string };
    // A watch is logged when it starts and when it ends; one that ends in the window was opened before it.
    if (e.verb !== 'watch' || e.stage !== 'ResponseComplete') seen.set(e.auditID, e.verb);
  }
  const byVerb = new Map<string, number>();
  for (const verb of seen.values()) byVerb.set(verb, (byVerb.get(verb) ?? 0) + 1);
  return byVerb;
}

/** The requests the operator sent while `during` ran, from the audit log. */
async function operatorRequests(auditLog: string, during: () => Promise<void>): Promise<Map<string, number>> {
  const mark = statSync(auditLog).size;
  await during();
  return requestsByVerb(readFrom(auditLog, mark));
}

/** Namespaces the churn turned injection off in (istio-injection=disabled wins over istio.io/rev). */
const injectionOff = new Set<string>();

/** One change that matters to revision usage: a pod deleted (its ReplicaSet makes another), or a namespace's
 * injection turned off or back on. Changes that matter to nobody (another annotation) wake no reconcile. */
function change(kube: KubeClient, i: number, pods: readonly KubeObject[]): Promise<unknown> {
  const pod = pods[Math.floor(Math.random() * pods.length)];
  if (i % 2 === 0 && pod) {
    const { namespace = '', name = '' } = pod.metadata;
    return kube.objects.delete({ apiVersion: 'v1', kind: 'Pod', namespace, name });
  }
  const name = namespaceName(Math.floor(Math.random() * namespaceCount));
  const off = !injectionOff.has(name);
  if (off) injectionOff.add(name);
  else injectionOff.delete(name);
  return kube.objects.mergePatch(
    { apiVersion: 'v1', kind: 'Namespace', name },
    { metadata: { labels: { 'istio-injection': off ? 'disabled' : null } } },
  );
}

/** Turns injection back on wherever the churn left it off. */
async function restoreInjection(kube: KubeClient): Promise<void> {
  await inParallel([...injectionOff], 16, (name) =>
    kube.objects.mergePatch(
      { apiVersion: 'v1', kind: 'Namespace', name },
      { metadata: { labels: { 'istio-injection': null } } },
    ),
  );
  injectionOff.clear();
}

/** `changesPerSecond` changes for `seconds`, half to pods and half to namespaces; returns how many were made. */
async function churn(kube: KubeClient, pods: readonly KubeObject[], seconds: number): Promise<number> {
  let sent = 0;
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let i = 0; i < changesPerSecond * seconds; i++) {
    const wait = started + (i * 1000) / changesPerSecond - performance.now();
    if (wait > 0) await sleep(wait);
    const p = change(kube, i, pods).then(
      () => {
        sent++;
      },
      () => {
        failed++;
      },
    );
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  await Promise.all(inFlight);
  // A pod picked twice is gone the second time.
  if (failed > 0) console.log(`    (${String(failed)} changes failed)`);
  return sent;
}

interface Row extends ScalePoint {
  cpuGrowS: number;
  idleCpuS: number;
  resyncMs: number;
  listMs: number;
  freshRssMiB: number;
  queueP99Ms: number;
  reconcilesInChurn: number;
  /** Idle memory reclaims (ADR 0026) while the changes arrived: each stops the process briefly. */
  reclaimsInChurn: number;
  changesSent: number;
  requestsPerMin: number;
  idleVerbs: string;
}

const cluster = await startCluster({ nodes: 4, auditLog: true, componentQps: 400, startTimeoutMs: 300_000 });
const kube = cluster.client();
const auditLog = cluster.auditLogPath ?? '';
await bundle();
const rows: Row[] = [];
let op: Running | undefined;
try {
  await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { ...field, force: true });
  await untilMeshConfigServed(kube, 60_000);
  op = await startOperator(cluster.kubeconfigPath);
  for (const m of meshes()) await kube.objects.apply(m, field);
  for (const m of meshes()) {
    const name = m.metadata.name ?? '';
    await until(
      `${name} Ready`,
      async () =>
        (await kube.objects.find<MeshObject>(meshRef(name)))?.status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ) === true,
      600_000,
      1_000,
    );
  }
  const indexes = Array.from({ length: namespaceCount }, (_, i) => i);
  await inParallel(indexes, 16, (i) =>
    kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespaceName(i), labels: { 'istio.io/rev': revisionOf(i) } },
      },
      field,
    ),
  );
  const idleNode = idleNodeRssMiB();
  // Converged with no workloads: once quiet, and once the chart engine's thread has ended (its idle period after
  // its last render, ADR 0025), whether or not this run's renders needed it, and the idle reclaimer has looked.
  await untilQuiet(op, 10_000, 600_000);
  await sleep(defaultChartEngineIdleReleaseMs + idleReclaimSettleMs);
  const noPodsRssMiB = operatorRssMiB(op);
  console.log(`converged, no pods yet: RSS ${noPodsRssMiB.toFixed(0)} MiB`);

  for (const size of sizes) {
    console.log(`growing to ${String(size)} pods ...`);
    const cpu0 = cpuSeconds(op);
    const grew = performance.now();
    await inParallel(indexes, 16, (i) => kube.objects.apply(deployment(i, replicasAt(size, i)), field));
    await until(
      `${String(size)} pods available`,
      async () => (await availablePods(kube)) >= size,
      3_600_000,
      5_000,
    );
    await untilQuiet(op, 10_000, 600_000);
    const cpuGrowS = cpuSeconds(op) - cpu0;
    console.log(`  grown in ${((performance.now() - grew) / 1000).toFixed(0)} s`);

    // Converged and left alone: what it sends, what it holds.
    const idleCpu0 = cpuSeconds(op);
    const current = op;
    const idle = await operatorRequests(auditLog, () => sleep(idleSeconds * 1000));
    const idleCpuS = cpuSeconds(current) - idleCpu0;
    const idleRequests = [...idle.values()].reduce((a, b) => a + b, 0);
    const rss = operatorRssMiB(current);

    // A steady stream of changes the operator watches.
    const { items: pods } = await kube.objects.list(
      { apiVersion: 'v1', kind: 'Pod' },
      { labelSelector: 'app=scale', metadataOnly: true },
    );
    const before = await scrape(current);
    const changesSent = await churn(kube, pods, churnSeconds);
    const after = await scrape(current);
    await restoreInjection(kube);
    await until(
      `${String(size)} pods available again`,
      async () => (await availablePods(kube)) >= size,
      600_000,
      2_000,
    );
    await untilQuiet(current, 5_000, 600_000);
    const where = { controller: 'meshconfig' };
    const rb = buckets(before, 'controller_runtime_reconcile_time_seconds', where);
    const ra = buckets(after, 'controller_runtime_reconcile_time_seconds', where);
    const qb = buckets(before, 'workqueue_queue_duration_seconds', { name: 'meshconfig' });
    const qa = buckets(after, 'workqueue_queue_duration_seconds', { name: 'meshconfig' });

    // The floor of a full resync: one metadata LIST of every pod, as the operator's pod cache makes.
    const lists: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { metadataOnly: true });
      lists.push(performance.now() - t);
    }
    // A full resync: a fresh operator lists every cache and reconciles every MeshConfig.
    current.process.child.kill('SIGTERM');
    await current.process.exited;
    const restarted = performance.now();
    op = await startOperator(cluster.kubeconfigPath);
    const fresh = op;
    await until(
      'every MeshConfig reconciled',
      async () => {
        const s = await scrape(fresh).catch(() => []);
        return reconciles(s) >= meshes().length && total(s, 'workqueue_depth', { name: 'meshconfig' }) === 0;
      },
      600_000,
      50,
    );
    const resyncMs = performance.now() - restarted;
    await untilQuiet(fresh, 5_000, 600_000);
    // What it holds once quiet: the idle reclaimer looks every 5 s (ADR 0026).
    await sleep(idleReclaimSettleMs);

    rows.push({
      pods: size,
      rssMiB: rss,
      p50Ms: quantileBetween(rb, ra, 0.5) * 1000,
      p99Ms: quantileBetween(rb, ra, 0.99) * 1000,
      queueP99Ms: quantileBetween(qb, qa, 0.99) * 1000,
      reconcilesInChurn: reconciles(after) - reconciles(before),
      reclaimsInChurn: reclaims(after) - reclaims(before),
      changesSent,
      cpuGrowS,
      idleCpuS,
      resyncMs,
      listMs: median(lists),
      freshRssMiB: operatorRssMiB(fresh),
      requestsPerMin: (idleRequests * 60) / idleSeconds,
      idleVerbs: [...idle].map(([v, n]) => `${v} ${String(n)}`).join(', ') || 'none',
    });
    // Drawn after every size, so a run cut short still leaves its picture.
    await writeScalePlot(
      plotFile,
      rows,
      `meshop at scale: 5 MeshConfigs, 50 gateways, pods on 3 revisions in ${String(namespaceCount)} namespaces`,
    );
    const r = rows.at(-1);
    if (r) {
      console.log(
        `  RSS ${r.rssMiB.toFixed(0)} MiB (fresh process ${r.freshRssMiB.toFixed(0)} MiB), CPU growing ${r.cpuGrowS.toFixed(1)} s, ` +
          `idle ${r.idleCpuS.toFixed(2)} s/${String(idleSeconds)} s; resync ${r.resyncMs.toFixed(0)} ms; ` +
          `p50/p99 ${r.p50Ms.toFixed(0)}/${r.p99Ms.toFixed(0)} ms (idle reclaims meanwhile: ${String(r.reclaimsInChurn)}); ` +
          `requests/min ${r.requestsPerMin.toFixed(1)}`,
      );
    }
  }

  console.log(
    `scale: 5 MeshConfigs, ${String(5 * gatewaysPerMesh)} gateways, pods on 3 revisions in ${String(namespaceCount)} namespaces; ` +
      `${String(changesPerSecond)} changes/s for ${String(churnSeconds)} s; idle window ${String(idleSeconds)} s`,
  );
  console.log(
    `  ${'pods'.padStart(6)} ${'RSS MiB'.padStart(8)} ${'fresh'.padStart(6)} ${'CPU grow s'.padStart(10)} ` +
      `${'resync ms'.padStart(9)} ${'x LIST'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ` +
      `${'queue p99'.padStart(9)} ${'reconciles'.padStart(10)} ${'req/min'.padStart(8)}  idle requests`,
  );
  for (const r of rows) {
    console.log(
      `  ${String(r.pods).padStart(6)} ${r.rssMiB.toFixed(0).padStart(8)} ${r.freshRssMiB.toFixed(0).padStart(6)} ` +
        `${r.cpuGrowS.toFixed(1).padStart(10)} ${r.resyncMs.toFixed(0).padStart(9)} ` +
        `${(r.resyncMs / r.listMs).toFixed(1).padStart(6)}x ${r.p50Ms.toFixed(0).padStart(7)} ` +
        `${r.p99Ms.toFixed(0).padStart(7)} ${r.queueP99Ms.toFixed(0).padStart(9)} ` +
        `${String(r.reconcilesInChurn).padStart(10)} ${r.requestsPerMin.toFixed(1).padStart(8)}  ${r.idleVerbs}`,
    );
  }
  console.log(
    `  converged with no pods: RSS ${noPodsRssMiB.toFixed(0)} MiB; references: idle Node process RSS ${idleNode.toFixed(0)} MiB; ` +
      'x LIST = resync / one metadata LIST of every pod',
  );
  console.log(
    '  goals: RSS < 100 MiB with no workloads, < 150 MiB at 20,000 pods; resync < 2 s; p99 < 1 s; 0 requests/min',
  );
  console.log(`  plot: ${plotFile}`);
} finally {
  if (op?.process.child.exitCode === null) op.process.child.kill('SIGKILL');
  await cluster.stop();
}
