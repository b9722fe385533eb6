// A mesh is woken only by changes it can act on: a status write to a kind whose status meshop never reads (the
// controller-manager rewrites every HorizontalPodAutoscaler's status each sync) and a pod or namespace update
// that leaves every revision's usage as it was wake nobody; anything else, and every resync, still does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { onlyStatusChanged, sameUsage } from '../../../src/reconcile/change-relevance.ts';
import { podProxyRevision } from '../../../src/revisions/index.ts';

const hpa = (resourceVersion: string, spec: object, status: object): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'istiod',
    namespace: 'istio-system',
    resourceVersion,
    managedFields: [{ manager: resourceVersion === '1' ? 'meshop' : 'kube-controller-manager' }],
  },
  spec,
  status,
});

describe('status-only changes', () => {
  const spec = { minReplicas: 1, maxReplicas: 5 };

  it('are recognised: status, resourceVersion and managedFields moved, nothing else', () => {
    const before = hpa('1', spec, { currentReplicas: 1 });
    assert.equal(onlyStatusChanged(hpa('2', spec, { currentReplicas: 2, conditions: [] }), before), true);
  });

  it('are recognised whatever the order of keys (a listed object has apiVersion and kind last, a watched one first)', () => {
    const watched = hpa('2', spec, { currentReplicas: 2 });
    const { apiVersion, kind, ...rest } = hpa('1', spec, { currentReplicas: 1 });
    const listed = { ...rest, apiVersion, kind };
    assert.notEqual(JSON.stringify(Object.keys(listed)), JSON.stringify(Object.keys(watched)));
    assert.equal(onlyStatusChanged(watched, listed), true);
  });

  it('do not hide a change of spec, labels or annotations', () => {
    const before = hpa('1', spec, {});
    assert.equal(onlyStatusChanged(hpa('2', { ...spec, maxReplicas: 9 }, {}), before), false);
    const labelled = hpa('2', spec, {});
    labelled.metadata.labels = { team: 'a' };
    assert.equal(onlyStatusChanged(labelled, before), false);
  });

  it('never apply to an add or a resync', () => {
    const obj = hpa('1', spec, {});
    assert.equal(onlyStatusChanged(obj, undefined), false);
    assert.equal(onlyStatusChanged(obj, obj), false);
  });
});

describe('usage-neutral changes of pods and namespaces', () => {
  const pod = (annotations: Record<string, string>, deletionTimestamp?: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'shop',
      annotations,
      ...(deletionTimestamp ? { deletionTimestamp } : {}),
    },
  });
  const podRevision = (o: KubeObject): string[] => {
    const r = podProxyRevision(o.metadata);
    return r === undefined ? [] : [r];
  };
  const injected = { 'sidecar.istio.io/status': '{"revision":"r1"}' };

  it('are a pod whose proxy revision stayed (another annotation, a status write)', () => {
    const before = pod(injected);
    assert.equal(sameUsage(pod({ ...injected, touched: '1' }), before, podRevision), true);
  });

  it('are not a pod that changed revision, nor one that started terminating', () => {
    const before = pod(injected);
    assert.equal(
      sameUsage(pod({ 'sidecar.istio.io/status': '{"revision":"r2"}' }), before, podRevision),
      false,
    );
    assert.equal(sameUsage(pod(injected, '2026-12-06T00:00:00Z'), before, podRevision), false);
  });

  it('are not a namespace whose istio.io/rev or istio-injection label changed', () => {
    const ns = (labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop', labels },
    });
    const rev = (o: KubeObject): string[] => {
      const r = o.metadata.labels?.['istio.io/rev'];
      return r === undefined ? [] : [r];
    };
    const before = ns({ 'istio.io/rev': 'r1' });
    assert.equal(sameUsage(ns({ 'istio.io/rev': 'r1', team: 'a' }), before, rev), true);
    assert.equal(sameUsage(ns({ 'istio.io/rev': 'r2' }), before, rev), false);
    assert.equal(sameUsage(ns({ 'istio.io/rev': 'r1', 'istio-injection': 'disabled' }), before, rev), false);
    assert.equal(sameUsage(before, undefined, rev), false);
    assert.equal(sameUsage(before, before, rev), false);
  });
});
