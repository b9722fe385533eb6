// bench/real-istiod: meshop and istioctl side by side with the real istiod of each release (the pod runner runs
// each release's pilot-discovery for its istiod pods) on one private local control plane, in the same run:
//  1. Install of the minimal profile (1.31.0, istio-system): from `kubectl apply` of a MeshConfig (meshop) or the
//     start of `istioctl install` to the first Pod the real injector injects in a namespace labelled
//     `istio-injection=enabled` (a probe creates a Pod every 50 ms until one comes back with istio-proxy).
//  2. Canary 1.30.8 -> 1.31.0 with 10 Deployments in 2 namespaces on a revision tag, until the old revision's
//     istiod is gone. meshop: one spec change (RevisionBased, the tag follows the active revision, restarts in
//     batches of 5, grace period 0). istioctl, as Istio's canary guide has a person do it: `istioctl install
//     --set revision=1-31-0` (1.31's istioctl), `istioctl tag set --overwrite`, `kubectl rollout restart` and
//     `rollout status` per namespace, `istioctl uninstall --revision 1-30-8`.
// Each side is torn down before the other starts (both install the same cluster-wide objects). Prints medians and
// ratios; asserts nothing.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeClient, KubeObject } from '../src/kube/index.ts';
import { podProxyRevision } from '../src/revisions/index.ts';
import { startCluster } from '../test/cluster/index.ts';
import { istioBinaries, istiodPrograms } from '../test/istio/istio-binaries.ts';
import {
  applyMesh,
  containerNames,
  deleteMesh,
  meshReady,
  startOperator,
} from '../test/support/real-mesh.ts';
import { deploymentAvailable, testDeployment } from '../test/support/workloads.ts';
import { median } from './stats.ts';
import { sleep, until } from './wait.ts';

const runs = Number(process.env.BENCH_RUNS ?? '3');
const [from, to] = ['1.30.8', '1.31.0'] as const;
const bins = istioBinaries();
if (!bins[from] || !bins[to]) {
  process.stderr.write(
    `bench/real-istiod: needs the istioctl and istiod of ${from} and ${to} (eval hack/istio.sh)\n`,
  );
  process.exit(1);
}
const istioctlOf = (version: string): string => join(bins[version] ?? '', 'istioctl');
const field = { fieldManager: 'bench', force: true };
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const namespaceType = { apiVersion: 'v1', kind: 'Namespace' };
const appNamespaces = 2;
const appsPerNamespace = 5;

const cluster = await startCluster({ nodes: 1, programs: istiodPrograms() });
const kube: KubeClient = cluster.client();
const exec = promisify(execFile);
const kubectl = (...args: string[]) =>
  exec(join(cluster.binDir, 'kubectl'), ['--kubeconfig', cluster.kubeconfigPath, ...args]);
const istioctl = (version: string, ...args: string[]) =>
  exec(istioctlOf(version), ['--kubeconfig', cluster.kubeconfigPath, ...args], { maxBuffer: 64 << 20 });

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

/** Creates Pods in `ns` until the real injector injects one; returns when (ms since the epoch) that happened. */
async function firstInjectedPod(ns: string): Promise<number> {
  let staleSince: number | undefined;
  for (;;) {
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
    if (pod && hasProxy(pod)) return Date.now();
    if (pod)
      await kube.objects
        .delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name: pod.metadata.name ?? '' })
        .catch(() => undefined);
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

async function installMeshop(run: number): Promise<number> {
  const probeNs = await probeNamespace(`probe-m${String(run)}`);
  const start = Date.now();
  await applyMesh(kube, 'install', { profile: 'minimal', namespace: 'istio-system', version: to });
  const injected = await firstInjectedPod(probeNs);
  await meshReady(kube, 'install');
  // The namespace (and its injected pods) use the revision: meshop's teardown guard keeps it while they exist.
  await namespaceGone(probeNs);
  await deleteMesh(kube, 'install');
  await namespaceGone('istio-system');
  return injected - start;
}

async function installIstioctl(run: number): Promise<{ injected: number; command: number }> {
  const probeNs = await probeNamespace(`probe-i${String(run)}`);
  const start = Date.now();
  const probe = firstInjectedPod(probeNs);
  await istioctl(to, 'install', '-y', '--set', 'profile=minimal');
  const command = Date.now() - start;
  const injected = (await probe) - start;
  await namespaceGone(probeNs);
  await istioctl(to, 'uninstall', '--purge', '-y');
  await namespaceGone('istio-system');
  return { injected, command };
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
  const oldRevision = `${mesh}-${from.replaceAll('.', '-')}`;
  await applyMesh(kube, mesh, spec(from));
  await meshReady(kube, mesh, 300_000);
  const namespaces = await deployApps(`m${String(run)}`, tag, oldRevision);
  const start = Date.now();
  await applyMesh(kube, mesh, spec(to));
  await until('old revision removed by meshop', istiodGone(ns, `istiod-${oldRevision}`));
  const ms = Date.now() - start;
  if (!(await appsOn(namespaces, `${mesh}-${to.replaceAll('.', '-')}`)))
    throw new Error('bench: meshop removed the old revision before every app moved');
  for (const n of namespaces) await namespaceGone(n);
  await deleteMesh(kube, mesh, 300_000);
  return ms;
}

async function canaryIstioctl(run: number): Promise<number> {
  const tag = `iprod${String(run)}`;
  const [oldRevision, newRevision] = [from, to].map((v) => v.replaceAll('.', '-')) as [string, string];
  await istioctl(from, 'install', '-y', '--set', 'profile=minimal', '--set', `revision=${oldRevision}`);
  await istioctl(from, 'tag', 'set', tag, '--revision', oldRevision, '-y');
  const namespaces = await deployApps(`i${String(run)}`, tag, oldRevision);
  const start = Date.now();
  await istioctl(to, 'install', '-y', '--set', 'profile=minimal', '--set', `revision=${newRevision}`);
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

interface Sample {
  meshopInstall: number;
  istioctlInstall: number;
  istioctlCommand: number;
  meshopCanary: number;
  istioctlCanary: number;
}

const samples: Sample[] = [];
const operator = await startOperator(kube);
try {
  for (let run = 0; run < runs; run++) {
    const meshopInstall = await installMeshop(run);
    const { injected: istioctlInstall, command: istioctlCommand } = await installIstioctl(run);
    const meshopCanary = await canaryMeshop(run);
    const istioctlCanary = await canaryIstioctl(run);
    samples.push({ meshopInstall, istioctlInstall, istioctlCommand, meshopCanary, istioctlCanary });
  }
} finally {
  await operator.stop();
  await cluster.stop();
}

const med = (pick: (s: Sample) => number): number => median(samples.map(pick));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const line = (label: string, value: string): void => {
  console.log(`  ${label.padEnd(84)}${value}`);
};
console.log(`real istiod (pilot-discovery ${from} and ${to} as processes), ${String(runs)} runs (medians)`);
line('meshop: kubectl apply of a MeshConfig -> first injected pod', seconds(med((s) => s.meshopInstall)));
line('istioctl install -> first injected pod', seconds(med((s) => s.istioctlInstall)));
line('  (istioctl install returned after)', seconds(med((s) => s.istioctlCommand)));
line(
  'ratio meshop / istioctl, first injected pod',
  `${(med((s) => s.meshopInstall) / med((s) => s.istioctlInstall)).toFixed(2)}x`,
);
if (cacheFlushes > 0)
  console.log(
    `  (the API server's stale webhook cache was flushed ${String(cacheFlushes)} times; see the comment on flushWebhookCache)`,
  );
const apps = `${String(appNamespaces * appsPerNamespace)} Deployments`;
line(
  `meshop: canary ${from} -> ${to}, ${apps}, spec change -> old istiod gone`,
  seconds(med((s) => s.meshopCanary)),
);
line(
  `istioctl install/tag set/rollout restart/uninstall, same ${apps}`,
  seconds(med((s) => s.istioctlCanary)),
);
line(
  'ratio meshop / istioctl, canary',
  `${(med((s) => s.meshopCanary) / med((s) => s.istioctlCanary)).toFixed(2)}x`,
);
