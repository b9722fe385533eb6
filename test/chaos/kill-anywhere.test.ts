// Kill anywhere, converge exactly: the operator (the shipped bundle, as a real process) is SIGKILLed at random
// moments of each phase of a mesh's life (install, InPlace upgrade 1.30.8 -> 1.31.0, teardown) and started
// again each time; once a last process converges, the cluster must hold exactly what a clean run left at the
// end of that phase: the same objects, the same fields owned by `meshop`, the same contents; after teardown,
// nothing of the mesh, and the user's object that carries a copy of the mesh's labels still there.
//
// The seed is printed (and read from MESHOP_CHAOS_SEED) so a failure can be replayed; MESHOP_CHAOS_KILLS sets the
// kills per phase (30 in the suite; `make chaos` runs a longer soak). A private cluster: killed operators must not
// meet the suite's other meshes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { isKindNotServed } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { inventoryKinds } from '../../src/render/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import type { OperatorProcess } from '../support/operator-process.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';

const seed = Number(process.env.MESHOP_CHAOS_SEED ?? String(Math.floor(Math.random() * 2 ** 31)));
const killsPerPhase = Number(process.env.MESHOP_CHAOS_KILLS ?? '30');
const field = { fieldManager: 'meshop-chaos' };
const mesh = 'chaos';
const system = 'chaos-system';
const meshLabel = `meshop.dev/mesh=${mesh}`;

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

interface Phase {
  name: string;
  /** Starts the phase: the write a user makes. */
  begin(kube: KubeClient): Promise<void>;
  /** Whether the operator has finished it. */
  done(kube: KubeClient): Promise<boolean>;
}

const specOf = (version: string) => ({ profile: 'default', namespace: system, version });

async function readyAt(kube: KubeClient, version: string): Promise<boolean> {
  const m = await kube.objects.find<MeshObject>(meshRef(mesh));
  if (!m?.status) return false;
  const ready = m.status.conditions?.find((c) => c.type === 'Ready');
  const revisions = m.status.revisions ?? [];
  const current = ready?.status === 'True' && ready.observedGeneration === m.metadata.generation;
  return (
    current && revisions.length === 1 && revisions.every((r) => r.version === version && r.ready === true)
  );
}

const phases: Phase[] = [
  {
    name: 'install 1.30.8',
    begin: async (kube) => {
      await kube.objects.apply({ ...meshType, metadata: { name: mesh }, spec: specOf('1.30.8') }, field);
    },
    done: (kube) => readyAt(kube, '1.30.8'),
  },
  {
    name: 'InPlace upgrade to 1.31.0',
    begin: async (kube) => {
      await kube.objects.apply({ ...meshType, metadata: { name: mesh }, spec: specOf('1.31.0') }, field);
    },
    done: (kube) => readyAt(kube, '1.31.0'),
  },
  {
    name: 'teardown',
    begin: async (kube) => {
      await kube.objects.delete(meshRef(mesh));
    },
    done: async (kube) => (await kube.objects.find(meshRef(mesh))) === undefined,
  },
];

/** Fields that the API server allocates anew for each object, so two runs never agree on them. */
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
  return content;
}

const userObject = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'user-notes' };

/** Its labels, the fields `meshop` owns, and its contents. */
function comparable(obj: KubeObject): unknown {
  const owned = (obj.metadata.managedFields ?? [])
    .filter((f) => f.manager === 'meshop')
    .map((f) => ({ operation: f.operation, subresource: f.subresource ?? '', fields: f.fieldsV1 }));
  return { labels: obj.metadata.labels, owned, content: withoutAllocated(obj) };
}

/** `Kind namespace/name` -> what a clean run and a killed one must agree on (the user's object aside). */
async function snapshot(kube: KubeClient): Promise<Map<string, unknown>> {
  const state = new Map<string, unknown>();
  for (const type of inventoryKinds) {
    if (type.kind === 'CustomResourceDefinition') continue; // shared by every mesh, kept at teardown
    let items: KubeObject[];
    try {
      items = (await kube.objects.list(type, { labelSelector: meshLabel })).items;
    } catch (err) {
      if (isKindNotServed(err)) continue; // a kind this cluster does not serve
      throw err;
    }
    for (const obj of items) {
      if (obj.kind === userObject.kind && obj.metadata.name === userObject.name) continue;
      state.set(`${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`, comparable(obj));
    }
  }
  return state;
}

async function stop(p: OperatorProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}

describe(`kill anywhere (seed ${String(seed)}, ${String(killsPerPhase)} kills per phase)`, () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  const clean = new Map<string, Map<string, unknown>>();
  const cleanMs = new Map<string, number>();
  /** From a process start to its first write: loading, connecting, the informers' first lists. */
  let startupMs = 0;

  before(async () => {
    process.stdout.write(`chaos seed: ${String(seed)} (MESHOP_CHAOS_SEED=${String(seed)} replays it)\n`);
    cluster = await startCluster({ nodes: 1 });
    kube = cluster.client();
    const crd = renderInstaller().find((o) => o.kind === 'CustomResourceDefinition');
    assert.ok(crd);
    await kube.objects.apply(crd, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    // A user's object with a copy of the mesh's label: no prune or teardown may take it.
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: userObject.name, namespace: 'default', labels: { 'meshop.dev/mesh': mesh } },
        data: { a: '1' },
      },
      field,
    );
  });
  after(async () => {
    await cluster.stop();
  });

  /** One clean pass over the phases with one operator; returns its start-up and each phase's time and end state. */
  async function cleanPass(): Promise<void> {
    const [first, ...rest] = phases;
    assert.ok(first);
    await first.begin(kube);
    const started = performance.now();
    const operator = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot, false);
    try {
      await eventually(
        'the first write (the finalizer)',
        async () => ((await kube.objects.find(meshRef(mesh)))?.metadata.finalizers ?? []).length > 0,
        60_000,
      );
      startupMs = performance.now() - started;
      for (const phase of [first, ...rest]) {
        const start = phase === first ? started + startupMs : performance.now();
        if (phase !== first) await phase.begin(kube);
        await eventually(`${phase.name} (clean)`, () => phase.done(kube), 180_000);
        cleanMs.set(phase.name, performance.now() - start);
        clean.set(phase.name, await snapshot(kube));
      }
    } finally {
      await stop(operator);
    }
  }

  it('a clean run: each phase converges with one operator; its end state is the reference', async () => {
    // The first pass fills what later runs find ready (Istio's CRDs, which teardown keeps; the render cache): the
    // second is the one the killed runs are measured against.
    await cleanPass();
    await cleanPass();
    process.stdout.write(
      `clean run: start-up ${startupMs.toFixed(0)} ms; ` +
        [...cleanMs].map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(', ') +
        '\n',
    );
    assert.ok((clean.get('install 1.30.8')?.size ?? 0) > 10, 'the install left the mesh objects');
    assert.equal(clean.get('teardown')?.size, 0, 'the teardown left nothing');
  });

  it('killed at random moments of every phase, the operator converges to the clean run state', async () => {
    const next = random(seed);
    for (const phase of phases) {
      const reference = clean.get(phase.name);
      assert.ok(reference, 'the clean run went first');
      // Each process lives a random time of up to twice a start-up plus its share of the phase: the kills spread
      // over the whole phase, each process getting a little work done, some none.
      const span = 2 * (startupMs + (cleanMs.get(phase.name) ?? 5000) / killsPerPhase);
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
        await eventually(`${phase.name} after the kills`, () => phase.done(kube), 180_000);
        assert.ok(duringPhase > 0, `${phase.name}: some kills landed before it was done`);
        // Converged means quiet: one more look after the last process settled changes nothing.
        const state = await snapshot(kube);
        process.stdout.write(
          `${phase.name}: ${String(killsPerPhase)} kills, ${String(duringPhase)} before the phase was done; ` +
            `${String(state.size)} objects\n`,
        );
        assert.deepEqual(
          [...state.keys()].sort(),
          [...reference.keys()].sort(),
          `${phase.name}: the object set`,
        );
        for (const [key, value] of reference)
          assert.deepEqual(state.get(key), value, `${phase.name}: ${key}`);
      } finally {
        await stop(last);
      }
    }
    assert.ok(await kube.objects.find(userObject), "the user's object with the copied label survived");
    assert.equal(await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: system }), undefined);
  });
});
