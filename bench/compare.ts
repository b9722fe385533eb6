// bench/compare: the race of issue #14, meshop against istioctl built from the same Istio module, with the real
// istiod of each release (the pod runner runs its pilot-discovery) on one private local control plane, in the
// same run. meshop runs as its shipped bundle, a process of its own, so its memory is what a pod would hold.
//  1. Install of the default profile (1.31.0, istio-system) until every Deployment is Available; beside it, the
//     first Pod the real injector injects in a namespace labelled `istio-injection=enabled` (a probe creates a
//     Pod every 50 ms until one comes back with istio-proxy). istioctl: `istioctl install`, then the same wait.
//  2. Drift repair: istiod's Deployment deleted until it is back and Available, p50/p99 of BENCH_DRIFT_TRIALS
//     (20). meshop repairs on its own; istioctl repairs nothing until a person runs `istioctl install` again,
//     which is the reference (the same deletion, then the command).
//  3. InPlace 1.30.8 -> 1.31.0: meshop, one spec change until istiod is Available on 1.31.0; istioctl,
//     `istioctl upgrade` of 1.31 after an install by 1.30's istioctl.
//  4. RevisionBased 1.30.8 -> 1.31.0 with 50 Deployments in 10 namespaces on a revision tag, until the old
//     revision's istiod is gone. meshop: one spec change (the tag follows the active revision, restarts in
//     batches of 5, grace period 0). istioctl, as Istio's canary guide has a person do it: `istioctl install
//     --set revision=1-31-0` (1.31's istioctl), `istioctl tag set --overwrite`, `kubectl rollout restart` and
//     `rollout status` per namespace, `istioctl uninstall --revision 1-30-8`.
//  5. Converged and idle for BENCH_IDLE_S (60) seconds: write requests (API server audit log, scaled to an hour)
//     by meshop and, for scale, by the two istiods; RSS of meshop's process beside an idle Node process.
// Each side is torn down before the other starts (both install the same cluster-wide objects). Prints medians and
// ratios; asserts nothing. Sail Operator's module is not served here: docs/peers.md compares with it on paper.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeClient, KubeObject } from '../src/kube/index.ts';
import { podProxyRevision } from '../src/revisions/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { istioBinaries, istiodPrograms } from '../test/istio/istio-binaries.ts';
import { bundle } from '../hack/bundle.ts';
import { meshConfigCrd } from '../src/api/index.ts';
import { getRelease } from '../src/catalog/index.ts';
import { applyMesh, containerNames, deleteMesh, meshReady } from '../test/support/real-mesh.ts';
import { startOperatorProcess } from '../test/support/operator-process.ts';
import { artifactsRoot } from '../test/support/render-fixtures.ts';
import { auditMark, auditSince, isWrite } from '../test/support/audit-log.ts';
import { idleNodeRssMiB, rssMiB } from './process-memory.ts';
import { percentile } from './stats.ts';
import { deploymentAvailable, testDeployment } from '../test/support/workloads.ts';
import { median } from './stats.ts';
import { sleep, until, untilMeshConfigServed } from './wait.ts';

const runs = Number(process.env.BENCH_RUNS ?? '3');
const driftTrials = Number(process.env.BENCH_DRIFT_TRIALS ?? '20');
// Each istioctl repair is a whole `istioctl install` (tens of seconds with the real istiod): fewer reference trials.
const referenceDriftTrials = Number(process.env.BENCH_REFERENCE_DRIFT_TRIALS ?? '5');
const idleSeconds = Number(process.env.BENCH_IDLE_S ?? '60');
const [from, to] = ['1.30.8', '1.31.0'] as const;
const bins = istioBinaries();
if (!bins[from] || !bins[to]) {
  process.stderr.write(
    `bench/compare: needs the istioctl and istiod of ${from} and ${to} (eval hack/istio.sh)\n`,
  );
  process.exit(1);
}
const istioctlOf = (version: string): string => join(bins[version] ?? '', 'istioctl');
const field = { fieldManager: 'bench', force: true };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };
const appNamespaces = 10;
const appsPerNamespace = 5;
const dashed = (version: string): string => version.replaceAll('.', '-');

await bundle();
const cluster = await startCluster({ nodes: 1, auditLog: true, programs: istiodPrograms() });
const kube: KubeClient = cluster.client();
const exec = promisify(execFile);
const kubectl = (...args: string[]) =>
  exec(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args]);
const istioctl = (version: string, ...args: string[]) =>
  exec(istioctlOf(version), ['--kubeconfig', cluster.kubeconfigPath, ...args], { maxBuffer: 64 << 20 });
/**
 * `istioctl install` or `upgrade` of `version`'s release with `settings`. istioctl built from the module has no
 * release build flags, so its default images are the module's development ones (registry.istio.io/testing,
 * `latest`), which the pod runner has no program for: a user of such an istioctl names the release's published
 * images, as meshop's defaults are, and so does the bench.
 */
function istioctlInstall(version: string, verb: 'install' | 'upgrade', ...settings: string[]) {
  const release = getRelease(version);
  const images = [`hub=${release.hub}`, `tag=${release.tag}`];
  return istioctl(version, verb, '-y', ...[...images, ...settings].flatMap((s) => ['--set', s]));
}

async function namespace(name: string, labels: Record<string, string>): Promise<void> {
  await kube.objects.apply({ ...namespaceType, metadata: { name, labels } }, field);
}

/** Deletes a namespace and waits until it is gone (a terminating one would block the next install). */
async function namespaceGone(name: string): Promise<void> {
  await kube.objects.delete({ ...namespaceType, name }).catch(() => undefined);
  await until(`namespace ${name} gone`, async () => !(await kube.objects.find({ ...namespaceType, name })));
}

const hasProxy = (pod: KubeObject): boolean => containerNames(pod).includes('istio-proxy');

/**
 * kube-apiserver 1.37 can keep a webhook configuration it listed just before an update (its accessor cache is
 * filled from a list that raced the update's invalidation), so it goes on calling istiod without the caBundle
 * istiod patched in, failing with "unknown authority", until the configuration changes again. Seen here when
 * admission requests arrive while istiod patches the caBundle; it hits meshop and istioctl alike. After 5 s of
 * that error the probe touches the injector configurations (an annotation) and counts it.
 */
let cacheFlushes = 0;
async function flushWebhookCache(): Promise<void> {
  cacheFlushes++;
  const type = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };
  for (const hook of (await kube.objects.list(type)).items) {
    await kubectl(
      'annotate',
      'mutatingwebhookconfiguration',
      hook.metadata.name ?? '',
      `bench.meshop.dev/flush=${String(cacheFlushes)}`,
      '--overwrite',
    );
  }
}

/** Creates one Pod in `ns`: whether the injector injected it (it is deleted then), or why the create failed. */
async function probePod(ns: string): Promise<{ injected: boolean; error: string }> {
  let error = '';
  const pod = await kube.objects
    .create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { generateName: 'probe-', namespace: ns },
      spec: { containers: [{ name: 'app', image: 'registry.invalid/probe:1' }] },
    })
    .catch((err: unknown) => {
      // the injector's webhook is there but istiod not yet (failurePolicy Fail), or the stale cache above
      error = err instanceof Error ? err.message : String(err);
      return undefined;
    });
  if (pod && hasProxy(pod)) return { injected: true, error };
  if (pod)
    await kube.objects
      .delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata.name ?? '' })
      .catch(() => undefined);
  return { injected: false, error };
}

/** Creates Pods in `ns` until the real injector injects one; returns when (ms since the epoch) that happened. */
async function firstInjectedPod(ns: string): Promise<number> {
  let staleSince: number | undefined;
  // A bench that waits for ever says nothing: an injector that never answers is an error with its last reason.
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { injected, error } = await probePod(ns);
    if (injected) return Date.now();
    if (Date.now() > deadline) throw new Error(`bench: no Pod in ${ns} was injected within 300 s: ${error}`);
    staleSince = error.includes('unknown authority') ? (staleSince ?? Date.now()) : undefined;
    if (staleSince !== undefined && Date.now() - staleSince > 5000) {
      await flushWebhookCache();
      staleSince = undefined;
    }
    await sleep(50);
  }
}

/** A namespace asking for the default revision, where the probe creates its Pods. */
async function probeNamespace(name: string): Promise<string> {
  await namespace(name, { 'istio-injection': 'enabled' });
  return name;
}

/** Live pods of the apps in `namespaces`, all Available and injected by `revision`. */
async function appsOn(namespaces: readonly string[], revision: string): Promise<boolean> {
  for (const ns of namespaces) {
    const deployments = (await kube.objects.list(deploymentType, { namespace: ns })).items;
    if (deployments.filter(deploymentAvailable).length !== appsPerNamespace) return false;
    const pods = (
      await kube.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ns, metadataOnly: true })
    ).items;
    const live = pods.filter((p) => !p.metadata.deletionTimestamp);
    if (live.length !== appsPerNamespace || live.some((p) => podProxyRevision(p.metadata) !== revision))
      return false;
  }
  return true;
}

/** Two namespaces on revision tag `tag`, five Deployments each, all injected by `revision`. */
async function deployApps(prefix: string, tag: string, revision: string): Promise<string[]> {
  const namespaces = Array.from({ length: appNamespaces }, (_, i) => `${prefix}-${String(i)}`);
  for (const ns of namespaces) {
    await namespace(ns, { 'istio.io/rev': tag });
    for (let k = 0; k < appsPerNamespace; k++)
      await kube.objects.apply(testDeployment(ns, `app-${String(k)}`), field);
  }
  await until(`apps of ${prefix} on ${revision}`, () => appsOn(namespaces, revision));
  return namespaces;
}

const istiodGone = (ns: string, name: string) => async () =>
  !(await kube.objects.find({ ...deploymentType, namespace: ns, name }));

/** Every Deployment in `ns` is Available (and there is at least one). */
async function allAvailable(ns: string): Promise<boolean> {
  const items = (await kube.objects.list(deploymentType, { namespace: ns })).items;
  return items.length > 0 && items.every(deploymentAvailable);
}

async function istioctlPurge(): Promise<void> {
  await istioctl(to, 'uninstall', '--purge', '-y');
  await namespaceGone('istio-system');
}

interface Install {
  available: number;
  injected: number;
}

async function installMeshop(run: number): Promise<Install> {
  const probeNs = await probeNamespace(`probe-m${String(run)}`);
  const start = Date.now();
  const probe = firstInjectedPod(probeNs);
  await applyMesh(kube, 'install', { profile: 'default', namespace: 'istio-system', version: to });
  await until('meshop install Available', () => allAvailable('istio-system'), 300_000);
  const available = Date.now() - start;
  const injected = (await probe) - start;
  await meshReady(kube, 'install');
  // The namespace (and its injected pods) use the revision: meshop's teardown guard keeps it while they exist.
  await namespaceGone(probeNs);
  return { available, injected };
}

async function installIstioctl(run: number): Promise<Install> {
  const probeNs = await probeNamespace(`probe-i${String(run)}`);
  const start = Date.now();
  const probe = firstInjectedPod(probeNs);
  await istioctlInstall(to, 'install', 'profile=default');
  await until('istioctl install Available', () => allAvailable('istio-system'), 300_000);
  const available = Date.now() - start;
  const injected = (await probe) - start;
  await namespaceGone(probeNs);
  return { available, injected };
}

/** Deletes istiod's Deployment, runs `repair` (nothing for meshop), waits until it is back and Available. */
async function driftRepair(repair: () => Promise<unknown>): Promise<number> {
  const istiod = { ...deploymentType, namespace: 'istio-system', name: 'istiod' };
  const before = await kube.objects.get(istiod);
  const start = Date.now();
  await kube.objects.delete(istiod);
  await until(
    'istiod deleted',
    async () => (await kube.objects.find(istiod))?.metadata.uid !== before.metadata.uid,
  );
  await repair();
  await until(
    'istiod back and Available',
    async () => {
      const now = await kube.objects.find(istiod);
      return now !== undefined && deploymentAvailable(now);
    },
    300_000,
  );
  return Date.now() - start;
}

/** The image of istio-system's istiod when it is Available, else undefined. */
async function availableIstiodImage(): Promise<string | undefined> {
  const d = await kube.objects.find({ ...deploymentType, namespace: 'istio-system', name: 'istiod' });
  const spec = d?.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
  return d && deploymentAvailable(d) ? spec?.template?.spec?.containers?.[0]?.image : undefined;
}

/** Waits until istiod is Available on another image than `old` (the release's own tag, whatever it is). */
async function upgradedFrom(old: string): Promise<void> {
  await until(
    'istiod Available on the new release',
    async () => {
      const image = await availableIstiodImage();
      return image !== undefined && image !== old;
    },
    300_000,
  );
}

/** Waits until istiod is Available and returns its image. */
async function availableImage(): Promise<string> {
  let image: string | undefined;
  await until('istiod Available', async () => (image = await availableIstiodImage()) !== undefined, 300_000);
  return image ?? '';
}

async function inPlaceMeshop(): Promise<number> {
  const spec = (version: string) => ({ profile: 'default', namespace: 'istio-system', version });
  await applyMesh(kube, 'inplace', spec(from));
  await meshReady(kube, 'inplace', 300_000);
  const old = await availableImage();
  const start = Date.now();
  await applyMesh(kube, 'inplace', spec(to));
  await upgradedFrom(old);
  await meshReady(kube, 'inplace', 300_000);
  const ms = Date.now() - start;
  await deleteMesh(kube, 'inplace', 300_000);
  await namespaceGone('istio-system');
  return ms;
}

async function inPlaceIstioctl(): Promise<number> {
  await istioctlInstall(from, 'install', 'profile=default');
  const old = await availableImage();
  const start = Date.now();
  await istioctlInstall(to, 'upgrade', 'profile=default');
  await upgradedFrom(old);
  const ms = Date.now() - start;
  await istioctlPurge();
  return ms;
}

async function canaryMeshop(run: number): Promise<number> {
  const [mesh, ns, tag] = [`canary${String(run)}`, `canary${String(run)}-system`, `mprod${String(run)}`];
  const spec = (version: string) => ({
    profile: 'minimal',
    namespace: ns,
    version,
    revisionTags: { [tag]: 'active' },
    updateStrategy: {
      type: 'RevisionBased',
      inactiveRevisionDeletionGracePeriodSeconds: 0,
      migrateNamespaces: true,
      restartWorkloads: { enabled: true, batchSize: appsPerNamespace },
    },
  });
  const oldRevision = `${mesh}-${dashed(from)}`;
  await applyMesh(kube, mesh, spec(from));
  await meshReady(kube, mesh, 300_000);
  const namespaces = await deployApps(`m${String(run)}`, tag, oldRevision);
  const start = Date.now();
  await applyMesh(kube, mesh, spec(to));
  await until('old revision removed by meshop', istiodGone(ns, `istiod-${oldRevision}`));
  const ms = Date.now() - start;
  if (!(await appsOn(namespaces, `${mesh}-${dashed(to)}`)))
    throw new Error('bench: meshop removed the old revision before every app moved');
  for (const n of namespaces) await namespaceGone(n);
  await deleteMesh(kube, mesh, 300_000);
  return ms;
}

async function canaryIstioctl(run: number): Promise<number> {
  const tag = `iprod${String(run)}`;
  const [oldRevision, newRevision] = [dashed(from), dashed(to)];
  await istioctlInstall(from, 'install', 'profile=minimal', `revision=${oldRevision}`);
  await istioctl(from, 'tag', 'set', tag, '--revision', oldRevision, '-y');
  const namespaces = await deployApps(`i${String(run)}`, tag, oldRevision);
  const start = Date.now();
  await istioctlInstall(to, 'install', 'profile=minimal', `revision=${newRevision}`);
  await istioctl(to, 'tag', 'set', tag, '--revision', newRevision, '--overwrite', '-y');
  for (const ns of namespaces) {
    await kubectl('rollout', 'restart', 'deployment', '-n', ns);
    await kubectl('rollout', 'status', 'deployment', '-n', ns, '--timeout=300s');
  }
  await istioctl(to, 'uninstall', '--revision', oldRevision, '-y');
  await until('old revision removed by istioctl', istiodGone('istio-system', `istiod-${oldRevision}`));
  const ms = Date.now() - start;
  if (!(await appsOn(namespaces, newRevision))) throw new Error('bench: apps not all on the new revision');
  for (const n of namespaces) await namespaceGone(n);
  await istioctl(to, 'uninstall', '--purge', '-y');
  await namespaceGone('istio-system');
  return ms;
}

/** Write requests in the audit log after `mark` (auditMark), by who sent them (meshop by its user agent). */
function writesSince(mark: number): Map<string, number> {
  const by = new Map<string, number>();
  for (const e of auditSince(cluster.auditLogPath ?? '', mark)) {
    // Each request once: at the stage that ends it.
    if (!isWrite(e) || e.stage !== 'ResponseComplete') continue;
    const who = e.userAgent === 'meshop' ? 'meshop' : (e.user?.username ?? '?');
    by.set(who, (by.get(who) ?? 0) + 1);
  }
  return by;
}

interface Sample {
  meshop: Install;
  istioctl: Install;
  inPlaceMeshop: number;
  inPlaceIstioctl: number;
  meshopCanary: number;
  istioctlCanary: number;
}

const samples: Sample[] = [];
const drift = { meshop: [] as number[], istioctl: [] as number[] };
let idle = { meshopWrites: 0, istiodWrites: 0, rss: 0 };
await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, field);
await untilMeshConfigServed(kube, 60_000);
const operator = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false, [
  '--metrics-bind-address',
  '0',
  '--log-level',
  'warn',
]);
/** meshop's install; in the first run also its drift repairs and its idle cost. Leaves the cluster empty. */
async function meshopInstallRow(run: number): Promise<Install> {
  const install = await installMeshop(run);
  if (run === 0) {
    for (let i = 0; i < driftTrials; i++) drift.meshop.push(await driftRepair(() => Promise.resolve()));
    await meshReady(kube, 'install');
    const mark = auditMark(cluster.auditLogPath ?? '');
    await sleep(idleSeconds * 1000);
    const writes = writesSince(mark);
    const istiod = [...writes].filter(([who]) => who.endsWith(':istiod')).reduce((n, [, c]) => n + c, 0);
    idle = { meshopWrites: writes.get('meshop') ?? 0, istiodWrites: istiod, rss: rssMiB(operator.child.pid) };
  }
  await deleteMesh(kube, 'install', 300_000);
  await namespaceGone('istio-system');
  return install;
}

/** istioctl's install; in the first run also the repairs a person makes by running it again. */
async function istioctlInstallRow(run: number): Promise<Install> {
  const install = await installIstioctl(run);
  if (run === 0) {
    const reinstall = () => istioctlInstall(to, 'install', 'profile=default');
    for (let i = 0; i < referenceDriftTrials; i++) drift.istioctl.push(await driftRepair(reinstall));
  }
  await istioctlPurge();
  return install;
}

/** Runs one measurement and reports it on stderr as it lands, so a run cut short still shows what it got. */
async function step<T>(run: number, what: string, measure: () => Promise<T>): Promise<T> {
  const value = await measure();
  process.stderr.write(`compare: run ${String(run + 1)}/${String(runs)} ${what}: ${JSON.stringify(value)}\n`);
  return value;
}

try {
  for (let run = 0; run < runs; run++) {
    samples.push({
      meshop: await step(run, 'meshop install', () => meshopInstallRow(run)),
      istioctl: await step(run, 'istioctl install', () => istioctlInstallRow(run)),
      inPlaceMeshop: await step(run, 'meshop InPlace', inPlaceMeshop),
      inPlaceIstioctl: await step(run, 'istioctl upgrade', inPlaceIstioctl),
      meshopCanary: await step(run, 'meshop RevisionBased', () => canaryMeshop(run)),
      istioctlCanary: await step(run, 'istioctl canary', () => canaryIstioctl(run)),
    });
    if (run === 0)
      process.stderr.write(`compare: drift ${JSON.stringify(drift)} idle ${JSON.stringify(idle)}\n`);
  }
} finally {
  operator.child.kill('SIGTERM');
  await operator.exited;
  await cluster.stop();
}

const idleNode = idleNodeRssMiB();
const med = (pick: (s: Sample) => number): number => median(samples.map(pick));
const s1 = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;
const perHour = (n: number): string => (n * (3600 / idleSeconds)).toFixed(0);
/** A row of medians: meshop's, istioctl's and their ratio. */
const raced = (what: string, ours: (s: Sample) => number, theirs: (s: Sample) => number): string[] => [
  what,
  s1(med(ours)),
  s1(med(theirs)),
  ratio(med(ours), med(theirs)),
];
const rows: string[][] = [
  raced(
    'install, default profile, until every Deployment is Available',
    (s) => s.meshop.available,
    (s) => s.istioctl.available,
  ),
  raced(
    '  the same install, until the first Pod is injected',
    (s) => s.meshop.injected,
    (s) => s.istioctl.injected,
  ),
  [
    `drift repair, istiod Deployment deleted (${String(driftTrials)} trials), p50 / p99`,
    `${s1(percentile(drift.meshop, 50))} / ${s1(percentile(drift.meshop, 99))}`,
    `${s1(percentile(drift.istioctl, 50))} / ${s1(percentile(drift.istioctl, 99))} (install run again, ${String(referenceDriftTrials)} trials)`,
    ratio(percentile(drift.meshop, 50), percentile(drift.istioctl, 50)),
  ],
  raced(
    `InPlace ${from} -> ${to} (istioctl upgrade)`,
    (s) => s.inPlaceMeshop,
    (s) => s.inPlaceIstioctl,
  ),
  raced(
    `RevisionBased ${from} -> ${to}, ${String(appNamespaces * appsPerNamespace)} Deployments, until the old revision is gone`,
    (s) => s.meshopCanary,
    (s) => s.istioctlCanary,
  ),
  [
    'idle, converged: write requests per hour (istiod beside it)',
    perHour(idle.meshopWrites),
    `none: no process (istiod: ${perHour(idle.istiodWrites)})`,
    '',
  ],
  [
    'operator RSS, converged',
    `${idle.rss.toFixed(0)} MiB`,
    `none: no process (idle Node: ${idleNode.toFixed(0)} MiB)`,
    '',
  ],
];
console.log(
  `compare: meshop vs istioctl, real istiod (pilot-discovery ${from} and ${to}), ${String(runs)} runs (medians)`,
);
console.log(`  ${'row'.padEnd(92)} ${'meshop'.padEnd(18)} ${'istioctl'.padEnd(40)} ratio`);
for (const [what = '', ours = '', theirs = '', r = ''] of rows)
  console.log(`  ${what.padEnd(92)} ${ours.padEnd(18)} ${theirs.padEnd(40)} ${r}`);
if (cacheFlushes > 0)
  console.log(
    `  (the API server's stale webhook cache was flushed ${String(cacheFlushes)} times; see flushWebhookCache)`,
  );
