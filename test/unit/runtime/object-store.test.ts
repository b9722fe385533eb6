// The informer's store: its indexes answer what a walk of every object would, through sets, replaces and
// deletes, and list in key order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { ObjectStore, byObjectKey } from '../../../src/runtime/object-store.ts';

const pod = (namespace: string, name: string, rev?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, ...(rev === undefined ? {} : { labels: { rev } }) },
});
const revOf = (o: KubeObject): string[] =>
  o.metadata.labels?.rev === undefined ? [] : [o.metadata.labels.rev];
const names = (objs: KubeObject[]): string[] =>
  objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`);

/** What the index must answer: a walk of every stored object. */
const walked = (store: ObjectStore, value: string): string[] =>
  names(store.list().filter((o) => revOf(o).includes(value)));

describe('ObjectStore indexes', () => {
  it('answer what a walk of the store answers, after sets, updates, deletes and a replace', () => {
    const store = new ObjectStore({ rev: revOf });
    const check = (): void => {
      for (const value of ['r1', 'r2', 'r3'])
        assert.deepEqual(names(store.byIndex('rev', value)), walked(store, value), value);
    };
    // GIVEN objects filed under two values, and one under none
    store.set(pod('b', 'x', 'r1'));
    store.set(pod('a', 'y', 'r1'));
    store.set(pod('a', 'z', 'r2'));
    store.set(pod('a', 'n'));
    check();
    assert.deepEqual(names(store.byIndex('rev', 'r1')), ['a/y', 'b/x'], 'in key order');
    // WHEN one moves to another value, one leaves, one gains a value
    store.set(pod('b', 'x', 'r2'));
    store.delete('a/z');
    store.set(pod('a', 'n', 'r3'));
    check();
    assert.deepEqual(names(store.byIndex('rev', 'r2')), ['b/x']);
    // WHEN the store is replaced by a fresh list
    store.replace([pod('c', 'p', 'r3'), pod('c', 'q', 'r1')]);
    check();
    assert.deepEqual(names(store.byIndex('rev', 'r3')), ['c/p']);
    assert.deepEqual(store.byIndex('rev', 'r2'), []);
  });

  it('refuses an index it was not given', () => {
    assert.throws(() => new ObjectStore().byIndex('rev', 'r1'), /no index "rev"/);
  });

  it('orders merged reads as the store lists', () => {
    const objs = [pod('b', 'a'), pod('a', 'b'), pod('a', 'a')];
    assert.deepEqual(names([...objs].sort(byObjectKey)), ['a/a', 'a/b', 'b/a']);
  });
});
