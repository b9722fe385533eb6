// What uses a revision, and when an old one is kept or removed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeUsage,
  namespaceRevision,
  planRetention,
  podProxyRevision,
  proxyValuesFor,
  usageOf,
} from '../../../src/revisions/index.ts';
import type { RetentionInput, Usage } from '../../../src/revisions/index.ts';
import { injectedPodMetadata } from '../../support/injected-pod.ts';

const ns = (name: string, labels: Record<string, string>) => ({ name, labels });
/** A pod `rev`'s injector injected, as real injection leaves it. */
const pod = (namespace: string, rev: string, deleting = false) => ({
  namespace,
  ...injectedPodMetadata(rev),
  ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
});
/** A pod that asks for `rev` with a label but was never injected: it runs no proxy. */
const askingPod = (namespace: string, rev: string) => ({ namespace, labels: { 'istio.io/rev': rev } });

describe('namespaceRevision', () => {
  const tags = { prod: 'r2', default: 'r2' };
  it('follows istio.io/rev, through tags', () => {
    assert.equal(namespaceRevision({ 'istio.io/rev': 'r1' }, tags), 'r1');
    assert.equal(namespaceRevision({ 'istio.io/rev': 'prod' }, tags), 'r2');
  });
  it('sends istio-injection=enabled to the default tag, else the unrevisioned control plane', () => {
    assert.equal(namespaceRevision({ 'istio-injection': 'enabled' }, tags), 'r2');
    assert.equal(namespaceRevision({ 'istio-injection': 'enabled' }, {}), 'default');
  });
  it('lets istio-injection win over istio.io/rev, and disabled mean none', () => {
    assert.equal(namespaceRevision({ 'istio-injection': 'disabled', 'istio.io/rev': 'r1' }, tags), undefined);
    assert.equal(namespaceRevision({}, tags), undefined);
  });
});

const unusedUsage: Usage = { tags: [], namespaces: [], pods: 0, gateways: [] };

describe('usageOf', () => {
  it('counts tags, namespaces, running pods and gateways per revision of the mesh only', () => {
    const usage = usageOf({
      revisions: ['r1', 'r2'],
      tags: { prod: 'r2' },
      namespaces: [
        ns('a', { 'istio.io/rev': 'r1' }),
        ns('b', { 'istio.io/rev': 'prod' }),
        ns('c', { x: 'y' }),
      ],
      pods: [pod('a', 'r1'), pod('a', 'r1', true), pod('z', 'other'), pod('b', 'prod')],
      gateways: { 'istio-system/istio-ingressgateway': 'r2' },
    });
    assert.deepEqual(usage.get('r1'), { tags: [], namespaces: ['a'], pods: 1, gateways: [] });
    assert.deepEqual(usage.get('r2'), {
      tags: ['prod'],
      namespaces: ['b'],
      pods: 1,
      gateways: ['istio-system/istio-ingressgateway'],
    });
    assert.equal(usage.has('other'), false);
    assert.equal(describeUsage(usage.get('r1') ?? unusedUsage), 'namespaces a; 1 pods');
  });

  it('counts a pod for the revision its injection recorded, not for the istio.io/rev label it carries', () => {
    // GIVEN a pod labelled for r1 but never injected, and one labelled for r1 that r2's injector injected
    const relabelled = { namespace: 'a', ...injectedPodMetadata('r2', { labels: { 'istio.io/rev': 'r1' } }) };
    // WHEN usage is counted
    const usage = usageOf({
      revisions: ['r1', 'r2'],
      tags: {},
      namespaces: [],
      pods: [askingPod('a', 'r1'), relabelled],
      gateways: {},
    });
    // THEN only the injected pod counts, for the revision whose proxy it runs
    assert.equal(usage.get('r1')?.pods, 0);
    assert.equal(usage.get('r2')?.pods, 1);
  });

  it('keeps a revision in use while only injected pods hold it, and lets it go when they terminate', () => {
    const usageWith = (pods: Parameters<typeof usageOf>[0]['pods']) =>
      usageOf({ revisions: ['old', 'new'], tags: {}, namespaces: [], pods, gateways: {} }).get('old');
    assert.equal(usageWith([pod('a', 'old'), pod('b', 'old')])?.pods, 2);
    assert.equal(usageWith([pod('a', 'old', true), askingPod('b', 'old')])?.pods, 0);
  });
});

describe('proxyValuesFor', () => {
  it('names exactly the proxy values whose pods usageOf counts for the revisions', () => {
    // GIVEN pods on every kind of value: the revisions, a tag to one, a tag to another, a value that is both a
    // revision name and a tag pointing elsewhere, and values of other meshes
    const tags = { prod: 'r2', canary: 'r9', r1: 'r3' };
    const values = ['r1', 'r2', 'r3', 'prod', 'canary', 'r9', 'other', 'default'];
    const pods = values.map((v) => pod('a', v));
    for (const revisions of [['r1', 'r2'], ['r3'], ['r2', 'r9'], ['default'], []]) {
      // WHEN only the pods with the named values are read
      const named = new Set(proxyValuesFor(revisions, tags));
      const read = pods.filter((p) => named.has(podProxyRevision(p) ?? ''));
      // THEN every revision's count is what counting all pods gives
      const count = (ps: typeof pods) => [
        ...usageOf({ revisions, tags, namespaces: [], pods: ps, gateways: {} }).entries(),
      ];
      assert.deepEqual(count(read), count(pods), `revisions ${revisions.join(',')}`);
    }
    assert.deepEqual(proxyValuesFor(['r1', 'r2'], tags).sort(), ['prod', 'r2']);
    assert.deepEqual(proxyValuesFor(['r3'], tags).sort(), ['r1', 'r3']);
  });
});

describe('planRetention', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const unused: Usage = { tags: [], namespaces: [], pods: 0, gateways: [] };
  const base = (over: Partial<RetentionInput>): RetentionInput => ({
    desired: 'new',
    desiredVersion: '1.31.0',
    desiredReady: true,
    observed: [
      { name: 'old', version: '1.30.0', ready: true },
      { name: 'new', version: '1.31.0', ready: true },
    ],
    usage: new Map([
      ['old', unused],
      ['new', { ...unused, namespaces: ['a'] }],
    ]),
    previous: undefined,
    graceSeconds: 30,
    now,
    ...over,
  });

  it('keeps an unused old revision for the grace period and asks to be woken when it ends', () => {
    const plan = planRetention(base({}));
    assert.deepEqual(plan.keep, ['old']);
    assert.deepEqual(plan.remove, []);
    assert.equal(plan.requeueAfterMs, 30_000);
    const old = plan.revisions.find((r) => r.name === 'old');
    assert.equal(old?.inUse?.status, 'False');
    assert.equal(old.since, now.toISOString());
  });

  it('removes it once unused for the whole grace period, counted from status', () => {
    const since = new Date(now.getTime() - 31_000).toISOString();
    const previous = [
      { name: 'old', inUse: { status: 'False' as const, reason: 'Unreferenced' as const }, since },
    ];
    const plan = planRetention(base({ previous }));
    assert.deepEqual(plan.remove, ['old']);
    assert.equal(plan.requeueAfterMs, undefined);
  });

  it('restarts the count when the revision was in use last time', () => {
    const since = new Date(now.getTime() - 3_600_000).toISOString();
    const previous = [
      { name: 'old', inUse: { status: 'True' as const, reason: 'Referenced' as const }, since },
    ];
    assert.deepEqual(planRetention(base({ previous })).keep, ['old']);
  });

  it('keeps everything while the new revision is not ready, and when the check failed', () => {
    const since = new Date(now.getTime() - 3_600_000).toISOString();
    const previous = [
      { name: 'old', inUse: { status: 'False' as const, reason: 'Unreferenced' as const }, since },
    ];
    assert.deepEqual(planRetention(base({ previous, desiredReady: false })).keep, ['old']);
    const failed = planRetention(base({ previous, usage: { error: 'caches not synced' } }));
    assert.deepEqual(failed.keep, ['old']);
    assert.equal(failed.revisions.find((r) => r.name === 'old')?.inUse?.status, 'Unknown');
  });

  it('keeps an old revision in use, and reports who uses it', () => {
    const usage = new Map([['old', { ...unused, namespaces: ['shop'], pods: 3 }]]);
    const plan = planRetention(base({ usage }));
    assert.deepEqual(plan.keep, ['old']);
    assert.equal(plan.revisions.find((r) => r.name === 'old')?.inUse?.message, 'namespaces shop; 3 pods');
  });

  it('lists the desired revision even before its istiod exists', () => {
    const plan = planRetention(base({ observed: [{ name: 'old', version: '1.30.0', ready: true }] }));
    assert.deepEqual(
      plan.revisions.map((r) => [r.name, r.ready]),
      [
        ['new', false],
        ['old', true],
      ],
    );
  });
});
