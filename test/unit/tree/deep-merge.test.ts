// deepMerge: maps merge, lists and scalars replace, an explicit null removes, inputs stay untouched, and the key
// order of the result is predictable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepMerge } from '../../../src/tree/index.ts';
import { frozenObject } from './tree-builders.ts';

describe('deepMerge', () => {
  it('merges maps key by key, at every depth', () => {
    // GIVEN two trees that set different leaves of one map
    const base = { values: { pilot: { autoscaleEnabled: true, autoscaleMin: 1 } } };
    const overlay = { values: { pilot: { autoscaleMin: 2 }, global: { hub: 'h' } } };
    // WHEN merged
    const merged = deepMerge(base, overlay);
    // THEN both sides' leaves are there, the overlay winning where both set one
    assert.deepEqual(merged, {
      values: { pilot: { autoscaleEnabled: true, autoscaleMin: 2 }, global: { hub: 'h' } },
    });
  });

  it('replaces lists wholesale instead of merging them by position or name', () => {
    // GIVEN a profile list of two gateways and a user list of one
    const base = { ingressGateways: [{ name: 'a', enabled: true }, { name: 'b' }] };
    const overlay = { ingressGateways: [{ name: 'c' }] };
    // WHEN merged, THEN only the user's list remains
    assert.deepEqual(deepMerge(base, overlay), { ingressGateways: [{ name: 'c' }] });
  });

  it('replaces scalars, and a map replaces a scalar and the other way round', () => {
    const merged = deepMerge({ a: 1, b: 'x', c: { d: 1 } }, { a: 2, b: { e: true }, c: 'flat' });
    assert.deepEqual(merged, { a: 2, b: { e: true }, c: 'flat' });
  });

  it('removes a key the overlay sets to null', () => {
    // GIVEN a base with a value and an overlay nulling it (and nulling something the base never had)
    const base = { meshConfig: { accessLogFile: '/dev/stdout', enableTracing: true } };
    const overlay = { meshConfig: { accessLogFile: null, unknown: null } };
    // WHEN merged, THEN both keys are absent, not null
    assert.deepEqual(deepMerge(base, overlay), { meshConfig: { enableTracing: true } });
  });

  it('drops nulls inside a subtree only the overlay has', () => {
    assert.deepEqual(deepMerge({}, { a: { b: null, c: 1 } }), { a: { c: 1 } });
  });

  it('keeps nulls inside lists, which are values, not removals', () => {
    assert.deepEqual(deepMerge({}, { args: ['a', null] }), { args: ['a', null] });
  });

  it('orders keys: the base keys first in their order, then the new overlay keys', () => {
    const merged = deepMerge({ z: 1, a: { y: 1, b: 1 } }, { c: 1, a: { x: 1, b: 2 }, z: 2 });
    assert.deepEqual(Object.keys(merged), ['z', 'a', 'c']);
    assert.deepEqual(Object.keys(merged.a ?? {}), ['y', 'b', 'x']);
  });

  it('changes neither input and shares no node with them', () => {
    // GIVEN frozen inputs (any write would throw)
    const base = frozenObject({ a: { list: [1, 2] }, keep: { deep: { x: 1 } } });
    const overlay = frozenObject({ a: { list: [3], extra: { y: 1 } } });
    // WHEN merged and the result then mutated
    const merged = deepMerge(base, overlay);
    (merged.keep as { deep: { x: number } }).deep.x = 99;
    (merged.a as { list: number[] }).list.push(4);
    // THEN the inputs still read as before
    assert.deepEqual(base, { a: { list: [1, 2] }, keep: { deep: { x: 1 } } });
    assert.deepEqual(overlay, { a: { list: [3], extra: { y: 1 } } });
  });

  it('treats a __proto__ key as data, not as a prototype', () => {
    const overlay = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, never>;
    const merged = deepMerge({}, overlay);
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.deepEqual(Object.keys(merged), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
