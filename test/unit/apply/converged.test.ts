// When a live object needs no write: the subset comparison that makes a converged mesh cost zero writes, and
// the fields other controllers own.
import assert from 'node:assert/strict';
import { parseQuantity } from '../../../src/api/index.ts';
import { describe, it } from 'node:test';
import {
  isConverged,
  isSubset,
  renderHash,
  renderHashAnnotation,
  withLiveOwnedFields,
} from '../../../src/apply/index.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

function configMap(data: Record<string, string>, hash?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      namespace: 'n',
      ...(hash ? { annotations: { [renderHashAnnotation]: hash } } : {}),
    },
    data,
  };
}

describe('quantities', () => {
  it('reads Kubernetes quantities in any spelling', () => {
    assert.equal(parseQuantity('2048Mi'), parseQuantity('2Gi'));
    assert.equal(parseQuantity('500m'), 0.5);
    assert.equal(parseQuantity('1'), parseQuantity(1));
    assert.equal(parseQuantity('1.5k'), 1500);
    assert.equal(parseQuantity('istio-system'), undefined);
  });
});

describe('isSubset', () => {
  it('accepts what the API server adds, drops and rewrites', () => {
    // GIVEN a rendered container WHEN the server stored it with defaults, canonical quantities and no empty map
    const want = {
      resources: { requests: { memory: '2048Mi', cpu: '1000m' } },
      env: [],
      securityContext: {},
    };
    const have = { resources: { requests: { memory: '2Gi', cpu: '1' } }, terminationMessagePath: '/dev/x' };
    // THEN nothing needs writing
    assert.ok(isSubset(want, have));
  });

  it('sees a changed value, a missing field and a reordered list', () => {
    assert.ok(!isSubset({ a: '1' }, { a: '2' }));
    assert.ok(!isSubset({ a: { b: 1 } }, { a: {} }));
    assert.ok(!isSubset({ l: [1, 2] }, { l: [2, 1] }));
    assert.ok(!isSubset({ l: [1, 2] }, { l: [1, 2, 3] }));
  });
});

describe('isConverged', () => {
  it('is converged only when the render hash matches and every field holds', () => {
    const desired = configMap({ k: 'v' });
    const hash = renderHash(desired);
    const stamped = configMap({ k: 'v' }, hash);
    assert.ok(isConverged(stamped, { ...stamped, metadata: { ...stamped.metadata, resourceVersion: '7' } }));
    // A field someone edited
    assert.ok(!isConverged(stamped, configMap({ k: 'edited' }, hash)));
    // A render that changed (e.g. a field we stopped rendering) even though every field still holds
    assert.ok(!isConverged(configMap({}, 'other'), configMap({ k: 'v' }, hash)));
    assert.ok(!isConverged(stamped, undefined));
  });
});

describe('withLiveOwnedFields', () => {
  it("keeps istiod's failurePolicy of a validating webhook once it exists", () => {
    const vwc = (policy: string): KubeObject => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'istio-validator-istio-system' },
      webhooks: [{ name: 'rev.validation.istio.io', failurePolicy: policy }],
    });
    assert.deepEqual(withLiveOwnedFields(vwc('Ignore'), vwc('Fail')), vwc('Fail'));
    assert.deepEqual(withLiveOwnedFields(vwc('Ignore'), undefined), vwc('Ignore'));
  });
});

describe("Go's omitempty", () => {
  it('treats a zero value the server dropped as held', () => {
    assert.ok(isSubset({ env: [{ name: 'PLATFORM', value: '' }] }, { env: [{ name: 'PLATFORM' }] }));
    assert.ok(isSubset({ a: false, b: 0 }, {}));
    assert.ok(!isSubset({ a: 'x' }, {}));
  });
});
