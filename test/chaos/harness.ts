// Kill anywhere, converge exactly: the harness of test/chaos. The operator (the shipped bundle, as a real process)
// is SIGKILLed at random moments of each phase of a mesh's life and started again each time; once a last process
// converges, the cluster must hold exactly what a clean run left at the end of that phase: the same objects, the
// same fields owned by `meshop`, the same contents, and whatever the phase checks besides (no workload restarted
// twice).
//
// The seed is printed (and read from MESHOP_CHAOS_SEED) so a failure can be replayed; MESHOP_CHAOS_KILLS sets the
// kills per phase (30 in the suite; `make chaos` runs a longer soak).
import assert from 'node:assert/strict';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { isKindNotServed } from '../../src/kube/index.ts';
import { meshRef } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { inventoryKinds } from '../../src/render/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import type { OperatorProcess } from '../support/operator-process.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';

export const seed = Number(process.env.MESHOP_CHAOS_SEED ?? String(Math.floor(Math.random() * 2 ** 31)));
export const killsPerPhase = Number(process.env.MESHOP_CHAOS_KILLS ?? '30');

export interface Phase {
  name: string;
  /** Starts the phase: the write a user makes. */
  begin(kube: KubeClient): Promise<void>;
  /** Whether the operator has finished it. */
  done(kube: KubeClient): Promise<boolean>;
  /** What must hold once it is done, in a clean run and a killed one alike (after the snapshot is taken). */
  check?(kube: KubeClient): Promise<void>;
  /** What the test does after the phase, with the operator still running (new workloads, a reset). */
  then?(kube: KubeClient): Promise<void>;
}

export interface Plan {
  mesh: string;
  phases: Phase[];
  /** Objects that carry the mesh's label but are the user's: never in the snapshot, never deleted. */
  userObjects?: readonly { kind: string; namespace: string; name: string }[];
}

/** mulberry32: a small seeded generator, so a printed seed replays the same kill points. */
function random(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ready on the spec it was given, with exactly these revisions, each ready and on `version`. */
export async function readyOn(
  kube: KubeClient,
  mesh: string,
  revisions: Record<string, string>,
): Promise<boolean> {
  const m = await kube.objects.find<MeshObject>(meshRef(mesh));
  if (!m?.status) return false;
  const ready = m.status.conditions?.find((c) => c.type === 'Ready');
  const current = ready?.status === 'True' && ready.observedGeneration === m.metadata.generation;
  const live = m.status.revisions ?? [];
  return (
    current &&
    live.length === Object.keys(revisions).length &&
    live.every((r) => revisions[r.name] === r.version && r.ready === true)
  );
}

/**
 * What two runs cannot agree on: addresses the API server allocates, and the CA bundle istiod writes into its
 * webhooks (a new CA for each control plane).
 */
function withoutAllocated(obj: KubeObject): Record<string, unknown> {
  const content = structuredClone(obj) as unknown as Record<string, unknown>;
  delete content.metadata;
  delete content.status;
  const spec = content.spec as Record<string, unknown> | undefined;
  if (obj.kind === 'Service' && spec) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.healthCheckNodePort;
    for (const port of (spec.ports as Record<string, unknown>[] | undefined) ?? []) delete port.nodePort;
  }
  for (const webhook of (content.webhooks as { clientConfig?: Record<string, unknown> }[] | undefined) ??
    []) {
    delete webhook.clientConfig?.caBundle;
  }
  return content;
}

/** Its labels, the fields `meshop` owns, and its contents. */
function comparable(obj: KubeObject): unknown {
  const owned = (obj.metadata.managedFields ?? [])
    .filter((f) => f.manager === 'meshop')
    .map((f) => ({ operation: f.operation, subresource: f.subresource ?? '', fields: f.fieldsV1 }));
  return { labels: obj.metadata.labels, owned, content: withoutAllocated(obj) };
}

/** `Kind namespace/name` -> what a clean run and a killed one must agree on. */
async function snapshot(kube: KubeClient, plan: Plan): Promise<Map<string, unknown>> {
  const key = (o: { kind: string; namespace?: string | undefined; name?: string | undefined }): string =>
    `${o.kind} ${o.namespace ?? ''}/${o.name ?? ''}`;
  const users = new Set((plan.userObjects ?? []).map(key));
  const state = new Map<string, unknown>();
  for (const type of inventoryKinds) {
    if (type.kind === 'CustomResourceDefinition') continue; // shared by every mesh, kept at teardown
    let items: KubeObject[];
    try {
      items = (await kube.objects.list(type, { labelSelector: `meshop.dev/mesh=${plan.mesh}` })).items;
    } catch (err) {
      if (isKindNotServed(err)) continue; // a kind this cluster does not serve
      throw err;
    }
    for (const obj of items) {
      const k = key({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name });
      if (!users.has(k)) state.set(k, comparable(obj));
    }
  }
  return state;
}

async function stop(p: OperatorProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

export interface CleanRun {
  /** From a process start to its first write: loading, connecting, the informers' first lists. */
  startupMs: number;
  phaseMs: Map<string, number>;
  states: Map<string, Map<string, unknown>>;
}

/** One pass over the phases with one operator that nobody kills. */
export async function cleanPass(cluster: PrivateCluster, plan: Plan): Promise<CleanRun> {
  const kube = cluster.client();
  const run: CleanRun = { startupMs: 0, phaseMs: new Map(), states: new Map() };
  const [first] = plan.phases;
  assert.ok(first);
  await first.begin(kube);
  const started = performance.now();
  const operator = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false);
  try {
    await eventually(
      'the first write (the finalizer)',
      async () => ((await kube.objects.find(meshRef(plan.mesh)))?.metadata.finalizers ?? []).length > 0,
      60_000,
    );
    run.startupMs = performance.now() - started;
    for (const phase of plan.phases) {
      const start = phase === first ? started + run.startupMs : performance.now();
      if (phase !== first) await phase.begin(kube);
      await eventually(`${phase.name} (clean)`, () => phase.done(kube), 300_000);
      run.phaseMs.set(phase.name, performance.now() - start);
      run.states.set(phase.name, await snapshot(kube, plan));
      await phase.check?.(kube);
      await phase.then?.(kube);
    }
  } finally {
    await stop(operator);
  }
  process.stdout.write(
    `clean run: start-up ${run.startupMs.toFixed(0)} ms; ` +
      [...run.phaseMs].map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ') +
      '\n',
  );
  return run;
}

/** The phases again, each with `killsPerPhase` operators killed at random moments, then one left to converge. */
export async function killedPass(cluster: PrivateCluster, plan: Plan, clean: CleanRun): Promise<void> {
  const kube = cluster.client();
  const next = random(seed);
  for (const phase of plan.phases) {
    const reference = clean.states.get(phase.name);
    assert.ok(reference, 'the clean run went first');
    // Each process lives a random time of up to twice a start-up plus its share of the phase: the kills spread
    // over the whole phase, each process getting a little work done, some none.
    const span = 2 * (clean.startupMs + (clean.phaseMs.get(phase.name) ?? 5000) / killsPerPhase);
    await phase.begin(kube);
    let duringPhase = 0;
    for (let i = 0; i < killsPerPhase; i++) {
      const operator = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false);
      await sleep(next() * span);
      operator.child.kill('SIGKILL');
      await operator.exited;
      if (!(await phase.done(kube))) duringPhase++;
    }
    const last = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false);
    try {
      await eventually(`${phase.name} after the kills`, () => phase.done(kube), 300_000);
      assert.ok(duringPhase > 0, `${phase.name}: some kills landed before it was done`);
      const state = await snapshot(kube, plan);
      process.stdout.write(
        `${phase.name}: ${String(killsPerPhase)} kills, ${String(duringPhase)} before the phase was done; ` +
          `${String(state.size)} objects\n`,
      );
      assert.deepEqual(
        [...state.keys()].sort(),
        [...reference.keys()].sort(),
        `${phase.name}: the object set`,
      );
      for (const [key, value] of reference) assert.deepEqual(state.get(key), value, `${phase.name}: ${key}`);
      await phase.check?.(kube);
      await phase.then?.(kube);
    } finally {
      await stop(last);
    }
  }
}
