// The informer's pure parts: what a relist means for the handlers (diff of the old store against the new list),
// how long it waits between attempts (jittered exponential backoff, reset after a healthy period), and how one
// watch ends when the edge fails (410 as an error or an ERROR event, other errors, silence), on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/kube/index.ts';
import type { KubeObject, WatchEvent } from '../../../src/kube/index.ts';
import { FakeClock } from '../../../src/runtime/clock.ts';
import type { Clock } from '../../../src/runtime/clock.ts';
import { Backoff } from '../../../src/runtime/informer-backoff.ts';
import { diffRelist } from '../../../src/runtime/informer-diff.ts';
import { WatchEnd, watchOnce } from '../../../src/runtime/informer-watch.ts';
import type { InformerClient } from '../../../src/runtime/informer-watch.ts';
import { ObjectStore, objectKey } from '../../../src/runtime/object-store.ts';

function cm(name: string, resourceVersion: string, namespace = 'ns'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion } };
}

function storeOf(...objs: KubeObject[]): ReadonlyMap<string, KubeObject> {
  const store = new ObjectStore();
  store.replace(objs);
  return store.snapshot();
}

const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata.name ?? '');

describe('object keys', () => {
  it('are namespace/name for namespaced objects and name for cluster-scoped ones', () => {
    assert.equal(objectKey(cm('a', '1', 'team')), 'team/a');
    assert.equal(objectKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }), 'a');
  });
});

describe('relist diff', () => {
  it('reports every listed object as new when the store is empty (the first list)', () => {
    // GIVEN an empty store WHEN the list holds a and b
    const diff = diffRelist(storeOf(), [cm('a', '1'), cm('b', '2')]);
    // THEN both are changes without a previous state, and nothing is deleted
    assert.deepEqual(names(diff.changes.map((c) => c.obj)), ['a', 'b']);
    assert.ok(diff.changes.every((c) => c.previous === undefined));
    assert.deepEqual(diff.deletes, []);
  });

  it('turns vanished objects into deletes and moved resourceVersions into changes', () => {
    // GIVEN a store with a@1, b@2, c@3, d@4
    const before = storeOf(cm('a', '1'), cm('b', '2'), cm('c', '3'), cm('d', '4'));
    // WHEN the new list has a unchanged, b changed, c and d gone, e new
    const diff = diffRelist(before, [cm('a', '1'), cm('b', '7'), cm('e', '8')]);
    // THEN b and e are changes (b with its stored state as previous), c and d are deletes as last seen
    assert.deepEqual(
      diff.changes.map((c) => [c.obj.metadata.name, c.previous?.metadata.resourceVersion]),
      [
        ['b', '2'],
        ['e', undefined],
      ],
    );
    assert.deepEqual(
      diff.deletes.map((o) => [o.metadata.name, o.metadata.resourceVersion]),
      [
        ['c', '3'],
        ['d', '4'],
      ],
    );
  });

  it('wakes nobody when nothing changed', () => {
    const diff = diffRelist(storeOf(cm('a', '1'), cm('b', '2')), [cm('b', '2'), cm('a', '1')]);
    assert.deepEqual(diff, { changes: [], deletes: [] });
  });

  it('keys by namespace, so same names in two namespaces are different objects', () => {
    // GIVEN x in ns1 WHEN the list holds x in ns2 only
    const diff = diffRelist(storeOf(cm('x', '1', 'ns1')), [cm('x', '1', 'ns2')]);
    // THEN ns2/x is new and ns1/x is deleted, although the resourceVersions match
    assert.deepEqual(
      diff.changes.map((c) => objectKey(c.obj)),
      ['ns2/x'],
    );
    assert.deepEqual(diff.deletes.map(objectKey), ['ns1/x']);
  });
});

describe('watch backoff', () => {
  const lowest = (): number => 0;
  const highest = (): number => 0.999_999;

  it('doubles from 800 ms and stops growing at 30 s', () => {
    // GIVEN no jitter drawn and failures in quick succession
    const backoff = new Backoff({}, lowest);
    const delays = Array.from({ length: 8 }, () => backoff.next(0));
    // THEN the delays double up to the cap and stay there
    assert.deepEqual(delays, [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('stretches each delay by at most the jitter fraction', () => {
    // GIVEN jitter 0.5 and the largest random draw
    const high = new Backoff({ jitter: 0.5 }, highest);
    const delays = Array.from({ length: 8 }, () => high.next(0));
    const bases = [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000];
    // THEN every delay lies in [base, 1.5 * base]
    delays.forEach((d, i) => {
      const base = bases[i]!;
      assert.ok(d >= base && d <= base * 1.5, `${String(d)} within [${String(base)}, ${String(base * 1.5)}]`);
    });
    assert.equal(delays[0], 1200);
  });

  it('draws a fresh jitter every time, so informers failing together spread out', () => {
    const draws = [0.1, 0.9];
    const backoff = new Backoff({ initialMs: 1000, factor: 1, jitter: 1 }, () => draws.shift() ?? 0);
    assert.deepEqual([backoff.next(0), backoff.next(0)], [1100, 1900]);
  });

  it('starts over once the last restart held for the healthy period', () => {
    // GIVEN three quick failures (800, 1600, 3200 ms)
    const backoff = new Backoff({ resetAfterMs: 60_000 }, lowest);
    let now = 0;
    for (const expected of [800, 1600, 3200]) {
      const d = backoff.next(now);
      assert.equal(d, expected);
      now += d + 10;
    }
    // WHEN the next restart fails just before the healthy period ends THEN the backoff keeps growing
    const restartedAt = now - 10;
    assert.equal(backoff.next(restartedAt + 59_999), 6400);
    // WHEN a restart then holds for the full healthy period THEN the next delay is the first one again
    assert.equal(backoff.next(restartedAt + 59_999 + 6400 + 60_000), 800);
  });
});

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

/** An edge that replays `events`, then fails with `error` (or hangs silently until aborted when `hang`). */
function edge(events: WatchEvent[], opts: { error?: Error; hang?: boolean } = {}): InformerClient {
  return {
    list: () => Promise.reject(new Error('not used')),
    watch: async function* (_type, watchOpts) {
      for (const e of events) yield e as never;
      if (opts.hang) {
        const signal = watchOpts?.signal;
        await new Promise((r) => {
          signal?.addEventListener('abort', r, { once: true });
        });
        throw new Error('aborted');
      }
      if (opts.error !== undefined) throw opts.error;
    } as InformerClient['watch'],
  };
}

function spec(client: InformerClient, clock: Clock, seen: WatchEvent[] = []) {
  return {
    client,
    type: { apiVersion: 'v1', kind: 'ConfigMap' },
    resourceVersion: '10',
    timeoutSeconds: 300,
    staleAfterMs: 1000,
    clock,
    signal: new AbortController().signal,
    onEvent: (e: WatchEvent) => seen.push(e),
  };
}

const bookmark = (rv: string): WatchEvent => ({
  type: 'BOOKMARK',
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { resourceVersion: rv } },
});
const gone = { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' };

describe('one watch', () => {
  it('moves the resourceVersion on bookmarks without reporting them, and ends Closed with the stream', async () => {
    const seen: WatchEvent[] = [];
    const events = [{ type: 'ADDED' as const, object: cm('a', '11') }, bookmark('15')];
    const result = await watchOnce(spec(edge(events), new FakeClock(), seen));
    assert.equal(result.end, WatchEnd.Closed);
    assert.equal(result.resourceVersion, '15');
    assert.deepEqual(names(seen.map((e) => e.object)), ['a']);
  });

  it('ends Gone on an ERROR event with code 410, keeping the events before it', async () => {
    const events = [
      { type: 'MODIFIED' as const, object: cm('a', '12') },
      { type: 'ERROR' as const, object: gone },
    ];
    const result = await watchOnce(spec(edge(events as WatchEvent[]), new FakeClock()));
    assert.equal(result.end, WatchEnd.Gone);
    assert.equal(result.resourceVersion, '12');
  });

  it('ends Gone when opening the watch fails with 410, Failed on any other error', async () => {
    const gone410 = new ApiError('watch ConfigMap', 410, { ...gone, kind: 'Status' });
    assert.equal((await watchOnce(spec(edge([], { error: gone410 }), new FakeClock()))).end, WatchEnd.Gone);
    const refused = new Error('connect ECONNREFUSED');
    const failed = await watchOnce(spec(edge([], { error: refused }), new FakeClock()));
    assert.equal(failed.end, WatchEnd.Failed);
    assert.equal(failed.error, refused);
  });

  it('ends Stale when neither event nor bookmark arrived for staleAfterMs', async () => {
    // GIVEN a watch that delivers one bookmark and then stays silent
    const clock = new FakeClock();
    const ending = watchOnce(spec(edge([bookmark('20')], { hang: true }), clock));
    const ended = { yet: false };
    void ending.then(() => (ended.yet = true));
    await settle();
    // WHEN just under a second of silence passes THEN it is still open
    clock.advance(999);
    await settle();
    assert.equal(ended.yet, false);
    // WHEN the full second has passed THEN it ends Stale, resuming from the bookmark
    clock.advance(1);
    const result = await ending;
    assert.equal(result.end, WatchEnd.Stale);
    assert.equal(result.resourceVersion, '20');
  });
});
