// What the pod and workload caches keep is enough for every reader: the kept pod gives the same proxy revision,
// owner, workload move, usage count and own-pod test as the whole pod, and holds nothing else; an owned object or
// workload keeps its writers for the Conflict message but not their field sets, and converges as the whole one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { keepPodUsage, keepWriters } from '../../../src/reconcile/cache-keep.ts';
import { isConverged, renderHashAnnotation } from '../../../src/apply/converged.ts';
import { claimCheck } from '../../../src/reconcile/object-claims.ts';
import { isPodOf } from '../../../src/reconcile/revision-state.ts';
import { podMove, podProxyRevision, usageOf } from '../../../src/revisions/index.ts';

const fieldsV1 = { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': {} } };

/** What the cache must keep of the pod below. */
const identity = { name: 'reviews-v1-7d9f8-abcde', namespace: 'shop', uid: 'u-1', resourceVersion: '42' };
const injection = {
  'sidecar.istio.io/status': JSON.stringify({ containers: ['istio-proxy'], revision: 'canary' }),
  'istio.io/rev': 'canary',
};
const controller = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  name: 'reviews-v1-7d9f8',
  uid: 'rs-1',
  controller: true,
};

/** An injected pod as the API server sends it (metadata only), managedFields and all. */
function injectedPod(overrides: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...identity,
      generateName: 'reviews-v1-7d9f8-',
      creationTimestamp: '2026-12-06T00:00:00Z',
      labels: {
        app: 'reviews',
        'pod-template-hash': '7d9f8',
        'security.istio.io/tlsMode': 'istio',
        'service.istio.io/canonical-name': 'reviews',
      },
      annotations: {
        ...injection,
        'kubectl.kubernetes.io/default-container': 'reviews',
        'prometheus.io/scrape': 'true',
      },
      ownerReferences: [controller, { apiVersion: 'v1', kind: 'ConfigMap', name: 'gc-only', uid: 'cm-1' }],
      managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', fieldsV1 }],
      ...overrides,
    },
  };
}

describe('the pod cache', () => {
  it('keeps what the reconciler reads, with the same answers as the whole pod', () => {
    const whole = injectedPod();
    const kept = keepPodUsage(whole);
    assert.equal(podProxyRevision(kept.metadata), podProxyRevision(whole.metadata));
    assert.equal(podProxyRevision(kept.metadata), 'canary');
    const owners = new Map([['shop/reviews-v1-7d9f8', { kind: 'Deployment', name: 'reviews-v1' }]]);
    assert.deepEqual(podMove(kept, owners), podMove(whole, owners));
    assert.deepEqual(podMove(kept, owners), {
      restart: { kind: 'Deployment', namespace: 'shop', name: 'reviews-v1' },
    });
    assert.equal(isPodOf(kept, ['shop/reviews-v1']), true);
    const usage = (pods: KubeObject[]) =>
      usageOf({
        revisions: ['canary'],
        tags: {},
        namespaces: [],
        pods: pods.map((p) => p.metadata),
        gateways: {},
      });
    assert.deepEqual(usage([kept]), usage([whole]));
  });

  it('holds nothing else: no managedFields, other labels or annotations, nor owners that do not control it', () => {
    const kept = keepPodUsage(injectedPod());
    assert.deepEqual(kept, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...identity,
        labels: { 'pod-template-hash': '7d9f8' },
        annotations: injection,
        ownerReferences: [controller],
      },
    });
  });

  it('keeps a terminating pod terminating (it holds no revision any more)', () => {
    const kept = keepPodUsage(injectedPod({ deletionTimestamp: '2026-12-06T00:01:00Z' }));
    assert.equal(kept.metadata.deletionTimestamp, '2026-12-06T00:01:00Z');
    const pods = [kept.metadata];
    assert.equal(
      usageOf({ revisions: ['canary'], tags: {}, namespaces: [], pods, gateways: {} }).get('canary')?.pods,
      0,
    );
  });
});

describe('the caches of owned kinds and workloads', () => {
  const deployment = (labels: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'istiod',
      namespace: 'istio-system',
      labels,
      managedFields: [
        { manager: 'istioctl', operation: 'Apply', fieldsV1 },
        { manager: 'kube-controller-manager', operation: 'Update', fieldsV1 },
      ],
    },
    spec: { replicas: 1 },
  });

  it("cuts meshop's own field sets too: convergence compares the rendered object with the live one", () => {
    const labels = { 'app.kubernetes.io/managed-by': 'meshop', 'meshop.dev/mesh': 'm' };
    const whole = deployment(labels);
    const ours = { ...whole, metadata: { ...whole.metadata, annotations: { [renderHashAnnotation]: 'h1' } } };
    const kept = keepWriters(ours);
    assert.ok(kept.metadata.managedFields?.every((f) => f.fieldsV1 === undefined));
    // What the renderer made: no managedFields (those are the API server's).
    const rendered: KubeObject = { ...ours, metadata: { name: 'istiod', namespace: 'istio-system', labels } };
    rendered.metadata.annotations = { [renderHashAnnotation]: 'h1' };
    assert.equal(isConverged(rendered, kept), true);
    assert.equal(isConverged({ ...rendered, spec: { replicas: 2 } }, kept), false);
    assert.deepEqual(
      { ...kept, metadata: { ...kept.metadata, managedFields: undefined } },
      {
        ...ours,
        metadata: { ...ours.metadata, managedFields: undefined },
      },
    );
  });

  it('leaves an object without managedFields as it is', () => {
    const bare: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1' },
    };
    assert.equal(keepWriters(bare), bare);
  });

  it("cuts another writer's field sets but keeps who wrote it, which a Conflict names", () => {
    const foreign = deployment({ app: 'istiod' });
    const kept = keepWriters(foreign);
    assert.deepEqual(kept.metadata.managedFields, [
      { manager: 'istioctl', operation: 'Apply' },
      { manager: 'kube-controller-manager', operation: 'Update' },
    ]);
    assert.deepEqual(kept.spec, foreign.spec);
    const mesh = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'm' } };
    const decide = claimCheck(mesh);
    assert.deepEqual(decide(foreign, kept), decide(foreign, foreign));
    const decision = decide(foreign, kept);
    assert.ok(decision.kind === 'conflict' && decision.reason.includes('istioctl, kube-controller-manager'));
  });
});
