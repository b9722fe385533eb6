// A pod belongs to a Deployment by its controller reference, exactly: the ReplicaSet `<deployment>-<hash>` with
// the pod's own pod-template-hash, so a Deployment whose name extends another's is never mistaken for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { isPodOf } from '../../../src/reconcile/revision-state.ts';

const pod = (namespace: string, replicaSet: string, hash: string, controller = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `${replicaSet}-x1`,
    namespace,
    labels: { 'pod-template-hash': hash },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet, controller }],
  },
});

describe('pods of a Deployment', () => {
  const gateways = ['istio-system/istio-ingressgateway'];

  it("recognises the Deployment's pods by their ReplicaSet and hash", () => {
    assert.ok(isPodOf(pod('istio-system', 'istio-ingressgateway-5d8f7', '5d8f7'), gateways));
  });

  it('does not take the pods of a Deployment whose name extends the gateway name', () => {
    assert.ok(!isPodOf(pod('istio-system', 'istio-ingressgateway-canary-5d8f7', '5d8f7'), gateways));
  });

  it('nor pods in another namespace, nor pods whose ReplicaSet is not their controller', () => {
    assert.ok(!isPodOf(pod('shop', 'istio-ingressgateway-5d8f7', '5d8f7'), gateways));
    assert.ok(!isPodOf(pod('istio-system', 'istio-ingressgateway-5d8f7', '5d8f7', false), gateways));
  });
});
