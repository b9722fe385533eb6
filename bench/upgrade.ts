// bench/upgrade: a canary upgrade of a mesh with 50 Deployments in 10 namespaces (one replica each, KWOK pods) on
// a private local control plane, done by the whole operator in-process (informers, work queue, controller):
// RevisionBased 1.30.8 -> 1.31.0 (both real releases) with migrateNamespaces and restartWorkloads in batches of 5, and
// inactiveRevisionDeletionGracePeriodSeconds 0, so the clock stops as soon as nothing uses the old revision.
// Per run:
//  - spec change -> the old revision's istiod Deployment gone (the whole canary: new revision up, namespaces
//    relabelled, 10 batches restarted, old revision removed), and within it the restarts alone (first restart
//    patch -> every pod on the new revision);
//  - pods restarted per minute;
//  - API requests per restarted workload: requests the operator sent (user agent meshop, API server audit log)
//    between the spec change and the end, divided by 50; writes separately.
// Reference, same run: the same 50 Deployments moved by hand on a second mesh whose new revision is already up,
// with the operator stopped: `kubectl label` of the 10 namespaces, then `kubectl rollout restart` five at a time
// with `kubectl rollout status` between batches.
// Injection is done by the real istiod of each revision (the pod runner runs each release's pilot-discovery).
// Prints medians; asserts nothing.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { meshConfigCrd } from '../src/api/index.ts';
import { connect } from '../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../src/kube/index.ts';
import { createOperator } from '../src/operator/index.ts';
import { meshRef, meshType } from '../src/reconcile/index.ts';
import type { MeshObject } from '../src/reconcile/index.ts';
import { podProxyRevision } from '../src/revisions/index.ts';
import { silentLogger } from '../src/runtime/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { istiodPrograms } from '../test/istio/istio-binaries.ts';
import { artifactsRoot } from '../test/support/render-fixtures.ts';
import { deploymentAvailable } from '../test/support/workloads.ts';
import { median } from './stats.ts';
import { sleep, until } from './wait.ts';

const runs = Number(process.env.BENCH_RUNS ?? '3');
const namespaceCount = 10;
const perNamespace = 5;
const workloads = namespaceCount * perNamespace;
const batchSize = 5;
const [from, to] = ['1.30.8', '1.31.0'] as const;
const field = { fieldManager: 'bench' };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const podType = { apiVersion: 'v1', kind: 'Pod' };
const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

const revisionOf = (mesh: string, version: string): string => `${mesh}-${version.replaceAll('.', '-')}`;

const cluster = await startCluster({ nodes: 1, auditLog: true, programs: istiodPrograms() });
const operatorKube: KubeClient = cluster.client();
// The bench's own requests impersonate another user: they send the same user agent (meshop) as the operator's,
// and the audit log must tell them apart.
const kube: KubeClient = connect(
  { file: cluster.kubeconfigPath },
  { impersonation: { user: 'bench', groups: ['system:masters'] } },
);
const run = promisify(execFile);
const kubectl = (args: string[]) =>
  run(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args]);

await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { ...field, force: true });
await until('MeshConfig served', () =>
  kube.objects.list(meshType).then(
    () => true,
    () => false,
  ),
);

/** The operator, started fresh for each run and stopped while the hand-run reference is measured. */
async function startOperator(): Promise<() => Promise<void>> {
  const manager = await createOperator({
    kube: operatorKube,
    artifactsRoot,
    logger: silentLogger(),
  });
  const running = manager.start();
  return async () => {
    manager.stop();
    await running;
  };
}

function meshSpec(mesh: string, version: string, strategy: Record<string, unknown>): Record<string, unknown> {
  const namespace = `${mesh}-system`;
  return {
    profile: 'minimal',
    namespace,
    version,
    updateStrategy: { type: 'RevisionBased', ...strategy },
  };
}

async function applyMesh(name: string, spec: Record<string, unknown>): Promise<void> {
  await kube.objects.apply({ ...meshType, metadata: { name }, spec }, field);
}

async function serving(name: string, revision: string): Promise<boolean> {
  const status = (await kube.objects.find<MeshObject>(meshRef(name)))?.status;
  if (status?.activeRevision !== revision) return false;
  return status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

const istiodOf = (mesh: string, revision: string) => ({
  ...deploymentType,
  namespace: `${mesh}-system`,
  name: `istiod-${revision}`,
});

function deployment(namespace: string, name: string, group: string): KubeObject {
  const labels = { app: name, bench: group };
  return {
    ...deploymentType,
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: `registry.invalid/${name}:1` }] },
      },
    },
  };
}

/** Live (not terminating) pods of a group of apps, counted by the revision that injected them. */
async function podRevisions(group: string): Promise<Map<string, number>> {
  const pods = (await kube.objects.list(podType, { labelSelector: `bench=${group}`, metadataOnly: true }))
    .items;
  const counts = new Map<string, number>();
  for (const pod of pods.filter((p) => !p.metadata.deletionTimestamp)) {
    const rev = podProxyRevision(pod.metadata) ?? '';
    counts.set(rev, (counts.get(rev) ?? 0) + 1);
  }
  return counts;
}

async function allOn(group: string, revision: string): Promise<boolean> {
  const counts = await podRevisions(group);
  return counts.size === 1 && counts.get(revision) === workloads;
}

/** Ten namespaces on `revision` with five Deployments each, all Available with their pods injected. */
async function deployApps(group: string, revision: string): Promise<string[]> {
  const namespaces = Array.from({ length: namespaceCount }, (_, j) => `${group}-${String(j)}`);
  for (const name of namespaces) {
    const labels = { 'istio.io/rev': revision };
    await kube.objects.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }, field);
    for (let k = 0; k < perNamespace; k++)
      await kube.objects.apply(deployment(name, `app-${String(k)}`, group), field);
  }
  await until(`${group} on ${revision}`, async () => {
    const list = await kube.objects.list(deploymentType, { labelSelector: `bench=${group}` });
    return list.items.filter(deploymentAvailable).length === workloads && (await allOn(group, revision));
  });
  return namespaces;
}

interface AuditEvent {
  auditID: string;
  verb: string;
  userAgent?: string;
  requestURI: string;
  requestReceivedTimestamp: string;
  impersonatedUser?: unknown;
  objectRef?: { resource?: string; subresource?: string };
}

const auditLog = cluster.auditLogPath ?? '';
const auditMark = (): number => statSync(auditLog).size;

/** Requests received in [start, end] (ms since the epoch), once each (a watch is logged when it starts and ends). */
async function auditWindow(mark: number, start: number, end: number): Promise<AuditEvent[]> {
  await sleep(1000); // let the last responses of the window reach the log
  const text = readFileSync(auditLog).subarray(mark).toString('utf8');
  const seen = new Map<string, AuditEvent>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as AuditEvent;
    const at = Date.parse(event.requestReceivedTimestamp);
    if (at >= start && at <= end && !seen.has(event.auditID)) seen.set(event.auditID, event);
  }
  return [...seen.values()].sort((a, b) =>
    a.requestReceivedTimestamp.localeCompare(b.requestReceivedTimestamp),
  );
}

const byOperator = (e: AuditEvent): boolean => e.userAgent === 'meshop' && e.impersonatedUser === undefined;
const byKubectl = (e: AuditEvent): boolean => e.userAgent?.startsWith('kubectl') === true;

interface Sample {
  /** The whole measured span. */
  ms: number;
  /** From the first restart to every pod on the new revision. */
  restartMs: number;
  requests: number;
  writes: number;
  /** Requests by verb and resource, e.g. "get deployments". */
  byKind: Map<string, number>;
}

function tally(events: readonly AuditEvent[]): Pick<Sample, 'requests' | 'writes' | 'byKind'> {
  const byKind = new Map<string, number>();
  for (const e of events) {
    const resource = [e.objectRef?.resource, e.objectRef?.subresource].filter(Boolean).join('/');
    const key = `${e.verb} ${resource || e.requestURI}`;
    byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  return { requests: events.length, writes: events.filter((e) => writeVerbs.has(e.verb)).length, byKind };
}

/** The timed canary: the version bump, then nothing but watching until the old istiod is gone. */
async function canary(mesh: string, group: string, strategy: Record<string, unknown>): Promise<Sample> {
  const [oldRev, newRev] = [revisionOf(mesh, from), revisionOf(mesh, to)];
  const mark = auditMark();
  const start = Date.now();
  await applyMesh(mesh, meshSpec(mesh, to, strategy));
  let allNewAt: number | undefined;
  await until('old revision removed', async () => {
    if (allNewAt === undefined && (await allOn(group, newRev))) allNewAt = Date.now();
    return (await kube.objects.find(istiodOf(mesh, oldRev))) === undefined;
  });
  const end = Date.now();
  const events = (await auditWindow(mark, start, end)).filter(byOperator);
  const firstRestart = events.find(
    (e) => e.verb === 'patch' && e.requestURI.startsWith(`/apis/apps/v1/namespaces/${group}-`),
  );
  const restartStart = firstRestart ? Date.parse(firstRestart.requestReceivedTimestamp) : start;
  return { ms: end - start, restartMs: (allNewAt ?? end) - restartStart, ...tally(events) };
}

/** The reference: what a person does with kubectl once the new revision is up. */
async function byHand(group: string, namespaces: readonly string[], newRev: string): Promise<Sample> {
  const mark = auditMark();
  const start = Date.now();
  await kubectl(['label', 'namespace', ...namespaces, `istio.io/rev=${newRev}`, '--overwrite']);
  for (const ns of namespaces) {
    const selector = `bench=${group}`;
    await kubectl(['rollout', 'restart', 'deployment', '-n', ns, '-l', selector]);
    await kubectl(['rollout', 'status', 'deployment', '-n', ns, '-l', selector, '--timeout=300s']);
  }
  const end = Date.now();
  const events = (await auditWindow(mark, start, end)).filter(byKubectl);
  // Not timed: rollout status has returned, so every pod should already be on the new revision.
  await until(`${group} on ${newRev} after the hand-run restart`, () => allOn(group, newRev), 60_000);
  return { ms: end - start, restartMs: end - start, ...tally(events) };
}

const hand = 'hand';
const handRevisions = [revisionOf(hand, from), revisionOf(hand, to)] as const;

/** The reference's mesh: both revisions up, kept for a day whatever uses them, never migrating by itself. */
async function handMesh(): Promise<void> {
  const strategy = { inactiveRevisionDeletionGracePeriodSeconds: 86_400 };
  await applyMesh(hand, meshSpec(hand, from, strategy));
  await until('hand mesh on 1.30.8', () => serving(hand, handRevisions[0]));
  await applyMesh(hand, meshSpec(hand, to, strategy));
  await until('hand mesh on 1.31.0', () => serving(hand, handRevisions[1]));
}

async function oneRun(i: number): Promise<{ ours: Sample; reference: Sample }> {
  const stopOperator = await startOperator();
  if (i === 0) await handMesh();
  const mesh = `canary-${String(i)}`;
  const strategy = {
    inactiveRevisionDeletionGracePeriodSeconds: 0,
    migrateNamespaces: true,
    restartWorkloads: { enabled: true, batchSize },
  };
  await applyMesh(mesh, meshSpec(mesh, from, strategy));
  await until(`${mesh} on 1.30.8`, () => serving(mesh, revisionOf(mesh, from)));
  await deployApps(`c${String(i)}`, revisionOf(mesh, from));
  const handNamespaces = await deployApps(`h${String(i)}`, handRevisions[0]);
  const ours = await canary(mesh, `c${String(i)}`, strategy);
  await stopOperator();
  const reference = await byHand(`h${String(i)}`, handNamespaces, handRevisions[1]);
  return { ours, reference };
}

const samples: { ours: Sample; reference: Sample }[] = [];
try {
  for (let i = 0; i < runs; i++) samples.push(await oneRun(i));
} finally {
  await cluster.stop();
}

const med = (pick: (s: { ours: Sample; reference: Sample }) => number): number => median(samples.map(pick));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const perMinute = (ms: number): string => `${((workloads * 60_000) / ms).toFixed(0)} pods/min`;
const perWorkload = (n: number): string => (n / workloads).toFixed(1);
const [total, restarts, manual] = [
  med((s) => s.ours.ms),
  med((s) => s.ours.restartMs),
  med((s) => s.reference.ms),
];
const line = (label: string, value: string): void => {
  console.log(`  ${label.padEnd(72)}${value}`);
};
console.log(
  `upgrade, RevisionBased ${from} -> ${to}, ${String(workloads)} Deployments in ${String(namespaceCount)} ` +
    `namespaces, batches of ${String(batchSize)}, grace period 0 s, ${String(runs)} runs (medians)`,
);
line(
  'meshop: spec change -> old revision removed (the whole canary)',
  `${seconds(total)}  ${perMinute(total)}`,
);
line(
  '  of which the restarts: first restart -> all pods on the new revision',
  `${seconds(restarts)}  ${perMinute(restarts)}`,
);
line(
  'reference: kubectl label + rollout restart/status, 5 at a time',
  `${seconds(manual)}  ${perMinute(manual)}`,
);
line('ratio meshop whole canary / reference', `${(total / manual).toFixed(2)}x`);
line('ratio meshop restarts / reference', `${(restarts / manual).toFixed(2)}x`);
line(
  'API requests per restarted workload, meshop (writes)',
  `${perWorkload(med((s) => s.ours.requests))} (${perWorkload(med((s) => s.ours.writes))})`,
);
line(
  'API requests per restarted workload, kubectl reference (writes)',
  `${perWorkload(med((s) => s.reference.requests))} (${perWorkload(med((s) => s.reference.writes))})`,
);
const last = samples.at(-1)?.ours.byKind ?? new Map<string, number>();
const top = [...last].sort((a, b) => b[1] - a[1]).slice(0, 6);
console.log('  meshop requests by kind, last run (most first)');
for (const [kind, n] of top) line(`  ${kind}`, String(n));
