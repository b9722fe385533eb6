// GIVEN a supervised informer on ConfigMaps of a real API server, WHEN objects change, watches time out, go
// silent, expire (410) or the API server restarts, THEN the store converges to what the server holds and the
// handlers hear of every affected object, without the informer ever being restarted. Faults are injected only
// at the edge (a pass-through object client that can hold, silence or expire a watch); the server is real.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../../src/kube/index.ts';
import type {
  ApiStatus,
  KubeClient,
  KubeObject,
  ListOptions,
  ListResult,
  ObjectClient,
  TypeRef,
  WatchEvent,
  WatchOptions,
} from '../../src/kube/index.ts';
import { Informer } from '../../src/runtime/informer.ts';
import type { InformerClient, InformerLogger, InformerOptions } from '../../src/runtime/informer.ts';
import { describeError } from '../../src/runtime/logger.ts';
import { objectKey } from '../../src/runtime/object-store.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { withNamespace } from '../support/namespaces.ts';
import { useSharedNamespace } from '../support/shared-namespace.ts';

const cmType = { apiVersion: 'v1', kind: 'ConfigMap' };
const fieldManager = 'meshop-test';
/** Quick retries: these tests wait for convergence, not for production backoff. */
const quick = { backoff: { initialMs: 50, maxMs: 500 } };

function configMap(ns: string, name: string, data: Record<string, string>, labels = {}): KubeObject {
  return { ...cmType, metadata: { name, namespace: ns, labels }, data };
}

const dataOf = (obj: KubeObject | undefined): Record<string, string> | undefined =>
  obj?.data as Record<string, string> | undefined;

/** A logger that keeps lines, to explain a failure. */
function memoryLogger(): InformerLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const error = fields?.error === undefined ? undefined : describeError(fields.error);
    lines.push(JSON.stringify({ level, message, ...fields, error }));
  };
  return { lines, info: keep('info'), warn: keep('warn'), error: keep('error') };
}

/** What the handlers heard. */
function record(informer: Informer): {
  changes: [KubeObject, KubeObject | undefined][];
  deletes: KubeObject[];
} {
  const heard = { changes: [] as [KubeObject, KubeObject | undefined][], deletes: [] as KubeObject[] };
  informer.onChange((obj, previous) => heard.changes.push([obj, previous]));
  informer.onDelete((obj) => heard.deletes.push(obj));
  return heard;
}

/** The store holds exactly what the server lists, at the same resourceVersions. */
async function converged(kube: KubeClient, informer: Informer, opts: ListOptions): Promise<boolean> {
  const { items } = await kube.objects.list(cmType, opts);
  const server = items.map((o) => `${objectKey(o)}@${o.metadata.resourceVersion ?? ''}`).sort();
  const cached = informer.store.list().map((o) => `${objectKey(o)}@${o.metadata.resourceVersion ?? ''}`);
  assert.deepEqual(cached, server);
  return true;
}

async function waitConverged(
  kube: KubeClient,
  { informer, log }: { informer: Informer; log: { lines: string[] } },
  opts: ListOptions,
  timeoutMs = 30_000,
): Promise<void> {
  try {
    await eventually('the store matches the server', () => converged(kube, informer, opts), timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}\ninformer log:\n${log.lines.join('\n')}`, { cause: err });
  }
}

const expired: ApiStatus = {
  kind: 'Status',
  code: 410,
  reason: 'Expired',
  message: 'too old resource version',
};
type Fault = 'error410' | 'event410';

/** Resolves (to undefined) when the informer stops, so a held watch never outlives it. */
function stopped(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve(undefined);
      },
      { once: true },
    );
  });
}

/**
 * A pass-through object client that counts watches and, on request, holds the current watch (as if the
 * connection dropped) until the test releases it with a 410, or silences it (events stop arriving, the
 * connection stays open).
 */
class FaultyEdge implements InformerClient {
  watches = 0;
  private readonly real: ObjectClient;
  private current: AbortController | undefined;
  private silenced: AbortController | undefined;
  private verdict = Promise.withResolvers<Fault>();

  constructor(real: ObjectClient) {
    this.real = real;
  }

  list<T extends KubeObject = KubeObject>(type: TypeRef, opts?: ListOptions): Promise<ListResult<T>> {
    return this.real.list<T>(type, opts);
  }

  async *watch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    this.watches++;
    const held = new AbortController();
    this.current = held;
    const stopping = opts.signal ?? new AbortController().signal;
    try {
      for await (const event of this.real.watch<T>(type, {
        ...opts,
        signal: AbortSignal.any([held.signal, stopping]),
      })) {
        if (this.silenced !== held) yield event;
      }
    } catch (err) {
      if (!held.signal.aborted || stopping.aborted) throw err;
    }
    if (held.signal.aborted && !stopping.aborted) yield* this.verdictOn<T>(type, stopping);
  }

  private async *verdictOn<T extends KubeObject>(
    type: TypeRef,
    stopping: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    const fault = await Promise.race([this.verdict.promise, stopped(stopping)]);
    if (fault === 'error410') throw new ApiError(`watch ${type.kind}`, 410, expired);
    if (fault === 'event410') yield { type: 'ERROR', object: expired as unknown as T };
  }

  /** Cuts the current watch off; the informer hears nothing until release(). */
  hold(): void {
    this.verdict = Promise.withResolvers<Fault>();
    this.current?.abort();
  }

  /** Ends the held watch with a 410, as an error or as an ERROR event. */
  release(fault: Fault): void {
    this.verdict.resolve(fault);
  }

  /** From now on the current watch delivers nothing, events and bookmarks alike. */
  silence(): void {
    this.silenced = this.current;
  }
}

function informerOn(client: InformerClient, ns: string, extra: Partial<InformerOptions> = {}) {
  const log = memoryLogger();
  const informer = new Informer(client, { type: cmType, namespace: ns, logger: log, ...quick, ...extra });
  const heard = record(informer);
  const running = informer.start();
  return { informer, heard, log, running };
}

describe('supervised informer', () => {
  const fx = useSharedNamespace('informer');
  let kube: KubeClient;
  let ns: string;
  before(() => {
    ({ kube, ns } = fx);
  });

  it('syncs the initial list, then sees creates, updates and deletes', async () => {
    // GIVEN two ConfigMaps before the informer starts
    const sub = { namespace: ns, labelSelector: 'case=crud' };
    const labels = { case: 'crud' };
    for (const name of ['a', 'b']) {
      await kube.objects.apply(configMap(ns, name, { v: '1' }, labels), { fieldManager });
    }
    const subject = informerOn(kube.objects, ns, { labelSelector: sub.labelSelector });
    const { informer, heard } = subject;
    try {
      // THEN it syncs with both, each reported as new
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      assert.deepEqual(informer.store.keys(), [`${ns}/a`, `${ns}/b`]);
      assert.deepEqual(
        heard.changes.map(([o, p]) => [o.metadata.name, p]),
        [
          ['a', undefined],
          ['b', undefined],
        ],
      );
      // WHEN c is created, a updated and b deleted
      await kube.objects.apply(configMap(ns, 'c', { v: '1' }, labels), { fieldManager });
      await kube.objects.apply(configMap(ns, 'a', { v: '2' }, labels), { fieldManager });
      await kube.objects.delete({ ...cmType, namespace: ns, name: 'b' });
      // THEN the store follows, and the handlers heard each object with its previous state
      await waitConverged(kube, subject, sub);
      assert.deepEqual(informer.store.keys(), [`${ns}/a`, `${ns}/c`]);
      assert.deepEqual(dataOf(informer.store.get(`${ns}/a`)), { v: '2' });
      const updateOfA = heard.changes.find(([o]) => o.metadata.name === 'a' && dataOf(o)?.v === '2');
      assert.deepEqual(dataOf(updateOfA?.[1]), { v: '1' });
      assert.ok(heard.changes.some(([o, p]) => o.metadata.name === 'c' && p === undefined));
      assert.deepEqual(
        heard.deletes.map((o) => o.metadata.name),
        ['b'],
      );
    } finally {
      await informer.stop();
    }
  });

  it('holds only what its label selector matches, and lets objects move in and out', async () => {
    // GIVEN objects labelled tier=front, tier=back and none
    await kube.objects.apply(configMap(ns, 'front', {}, { tier: 'front' }), { fieldManager });
    await kube.objects.apply(configMap(ns, 'back', {}, { tier: 'back' }), { fieldManager });
    await kube.objects.apply(configMap(ns, 'plain', {}), { fieldManager });
    const subject = informerOn(kube.objects, ns, { labelSelector: 'tier=front' });
    const { informer, heard } = subject;
    try {
      // THEN only the front one is stored
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      assert.deepEqual(informer.store.keys(), [`${ns}/front`]);
      // WHEN front moves to the back and back to the front
      await kube.objects.apply(configMap(ns, 'front', {}, { tier: 'back' }), { fieldManager });
      await kube.objects.apply(configMap(ns, 'back', {}, { tier: 'front' }), { fieldManager });
      // THEN the store swaps them, and leaving the selection counts as a delete
      await waitConverged(kube, subject, { namespace: ns, labelSelector: 'tier=front' });
      assert.deepEqual(informer.store.keys(), [`${ns}/back`]);
      assert.deepEqual(
        heard.deletes.map((o) => o.metadata.name),
        ['front'],
      );
    } finally {
      await informer.stop();
    }
  });

  it('keeps delivering across server-side watch timeouts', { timeout: 60_000 }, async () => {
    // GIVEN watches the server ends after 1-2 s
    const edge = new FaultyEdge(kube.objects);
    const sel = 'case=ticker';
    const subject = informerOn(edge, ns, { labelSelector: sel, watchTimeoutSeconds: 1 });
    const { informer, heard } = subject;
    try {
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      // WHEN a ConfigMap changes twice a second for 6 s
      const writes = 12;
      for (let i = 0; i < writes; i++) {
        const cm = configMap(ns, 'ticker', { tick: String(i) }, { case: 'ticker' });
        await kube.objects.apply(cm, { fieldManager });
        await new Promise((r) => setTimeout(r, 500));
      }
      // THEN several watches came and went, and every change arrived exactly once, in order
      await waitConverged(kube, subject, { namespace: ns, labelSelector: sel });
      assert.ok(edge.watches >= 3, `${String(edge.watches)} watches opened`);
      assert.deepEqual(
        heard.changes.map(([o]) => dataOf(o)?.tick),
        Array.from({ length: writes }, (_, i) => String(i)),
      );
    } finally {
      await informer.stop();
    }
  });

  it('restarts a watch that went silent (staleness watchdog)', { timeout: 60_000 }, async () => {
    // GIVEN an informer whose watch will go silent, with a 2 s watchdog and a long server timeout
    const edge = new FaultyEdge(kube.objects);
    const sel = { namespace: ns, labelSelector: 'case=silent' };
    const subject = informerOn(edge, ns, { labelSelector: sel.labelSelector, staleAfterMs: 2_000 });
    const { informer, log } = subject;
    try {
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      const opened = edge.watches;
      // WHEN the connection goes silent and an object is created meanwhile
      edge.silence();
      await kube.objects.apply(configMap(ns, 'quiet', {}, { case: 'silent' }), { fieldManager });
      // THEN a new watch is opened and the object arrives through it
      await waitConverged(kube, subject, sel);
      assert.deepEqual(informer.store.keys(), [`${ns}/quiet`]);
      assert.ok(edge.watches > opened);
      assert.ok(log.lines.some((l) => l.includes('Watch went silent')));
    } finally {
      await informer.stop();
    }
  });

  for (const fault of ['error410', 'event410'] as const) {
    it(`relists on a 410 (${fault}) and reports what changed meanwhile, deletes included`, async () => {
      // GIVEN a synced informer holding x and y
      const edge = new FaultyEdge(kube.objects);
      const sel = { namespace: ns, labelSelector: `case=${fault}` };
      const labels = { case: fault };
      for (const name of ['x', 'y']) {
        await kube.objects.apply(configMap(ns, name, { v: '1' }, labels), { fieldManager });
      }
      const subject = informerOn(edge, ns, { labelSelector: sel.labelSelector });
      const { informer, heard, log } = subject;
      try {
        await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
        // WHEN the watch is cut off while x is deleted, y updated and z created, and then expires (410)
        edge.hold();
        await kube.objects.delete({ ...cmType, namespace: ns, name: 'x' });
        await kube.objects.apply(configMap(ns, 'y', { v: '2' }, labels), { fieldManager });
        await kube.objects.apply(configMap(ns, 'z', {}, labels), { fieldManager });
        assert.deepEqual(informer.store.keys(), [`${ns}/x`, `${ns}/y`]);
        edge.release(fault);
        // THEN the relist brings the store up to date and the diff reports x deleted, y and z changed
        await waitConverged(kube, subject, sel);
        assert.deepEqual(
          heard.deletes.map((o) => o.metadata.name),
          ['x'],
        );
        const late = heard.changes.slice(2).map(([o, p]) => [o.metadata.name, dataOf(p)]);
        assert.deepEqual(late, [
          ['y', { v: '1' }],
          ['z', undefined],
        ]);
        assert.ok(log.lines.some((l) => l.includes('Watch expired, relisting')));
      } finally {
        await informer.stop();
      }
    });
  }

  it('re-announces every stored object on each resync, and replays the store to late handlers', async () => {
    // GIVEN two objects and an informer resyncing every second
    const labels = { case: 'resync' };
    for (const name of ['r1', 'r2'])
      await kube.objects.apply(configMap(ns, name, {}, labels), { fieldManager });
    const { informer, heard } = informerOn(kube.objects, ns, {
      labelSelector: 'case=resync',
      resyncMs: 1_000,
    });
    try {
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      // WHEN a handler registers after the sync THEN it hears of both objects at once
      const late: string[] = [];
      informer.onChange((obj) => late.push(obj.metadata.name ?? ''));
      assert.deepEqual(late, ['r1', 'r2']);
      // THEN, with nothing changing, both are announced again (previous is the object itself), twice over
      const resyncs = (): number => heard.changes.filter(([o, p]) => o === p).length;
      await eventually('two resyncs', () => Promise.resolve(resyncs() >= 4), 10_000);
      assert.deepEqual(
        [...new Set(heard.changes.filter(([o, p]) => o === p).map(([o]) => o.metadata.name))],
        ['r1', 'r2'],
      );
    } finally {
      await informer.stop();
    }
  });

  it('stop() ends the loop while a watch is open', async () => {
    const { informer, running } = informerOn(kube.objects, ns, { labelSelector: 'case=none' });
    await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
    await informer.stop();
    await running;
  });
});

describe('supervised informer across an API server restart', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await startCluster();
    kube = cluster.client();
  });
  after(async () => {
    await cluster.stop();
  });

  it('converges without being restarted', { timeout: 180_000 }, async () => {
    // GIVEN a synced informer on a namespace with a and b
    const ns = await withNamespace(kube, 'restart');
    for (const name of ['a', 'b'])
      await kube.objects.apply(configMap(ns, name, { v: '1' }), { fieldManager });
    const subject = informerOn(kube.objects, ns, {
      backoff: { initialMs: 200, maxMs: 2_000 },
    });
    const { informer, heard } = subject;
    try {
      await eventually('synced', () => Promise.resolve(informer.hasSynced()), 10_000);
      // WHEN the API server restarts, and a is deleted, b updated and c created as soon as it is back
      await cluster.restartApiServer();
      await kube.objects.delete({ ...cmType, namespace: ns, name: 'a' });
      await kube.objects.apply(configMap(ns, 'b', { v: '2' }), { fieldManager });
      await kube.objects.apply(configMap(ns, 'c', { v: '1' }), { fieldManager });
      // THEN the same informer catches up with all of it
      await waitConverged(kube, subject, { namespace: ns }, 60_000);
      assert.ok(informer.store.get(`${ns}/c`));
      assert.equal(informer.store.get(`${ns}/a`), undefined);
      assert.deepEqual(dataOf(informer.store.get(`${ns}/b`)), { v: '2' });
      assert.ok(heard.deletes.some((o) => o.metadata.name === 'a'));
      // AND it keeps watching afterwards
      await kube.objects.apply(configMap(ns, 'd', {}), { fieldManager });
      await waitConverged(kube, subject, { namespace: ns });
    } finally {
      await informer.stop();
    }
  });
});
