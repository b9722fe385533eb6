// The pod runner builds a container's environment as a kubelet does: downward-API fields, resource fields
// rounded up to whole divisors, `$(VAR)` expansion with `$$` as the escape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downwardField, expand } from '../../cluster/pods/pod-env.ts';
import type { PodFacts } from '../../cluster/pods/pod-env.ts';

const facts: PodFacts = {
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'istiod-abc', namespace: 'istio-system', uid: 'u1', labels: { app: 'istiod' } },
    spec: { containers: [], serviceAccountName: 'istiod', nodeName: 'kwok-node-0' },
  },
  podIP: '127.101.0.2',
  hostIP: '127.0.0.1',
};

describe('pod environment', () => {
  it('resolves the downward-API fields istiod and the operator read', () => {
    assert.equal(downwardField(facts, { fieldPath: 'metadata.name' }), 'istiod-abc');
    assert.equal(downwardField(facts, { fieldPath: 'metadata.namespace' }), 'istio-system');
    assert.equal(downwardField(facts, { fieldPath: 'spec.serviceAccountName' }), 'istiod');
    assert.equal(downwardField(facts, { fieldPath: 'spec.nodeName' }), 'kwok-node-0');
    assert.equal(downwardField(facts, { fieldPath: 'status.podIP' }), '127.101.0.2');
    assert.equal(downwardField(facts, { fieldPath: "metadata.labels['app']" }), 'istiod');
  });

  it('expands $(VAR) from earlier variables, keeps unknown ones and unescapes $$', () => {
    const vars = { POD_NAMESPACE: 'istio-system', POD_IP: '127.101.0.2' };
    assert.equal(expand('$(POD_NAMESPACE).svc.cluster.local', vars), 'istio-system.svc.cluster.local');
    assert.equal(expand('--httpAddr=$(POD_IP):8080', vars), '--httpAddr=127.101.0.2:8080');
    assert.equal(expand('$(UNKNOWN)', vars), '$(UNKNOWN)');
    assert.equal(expand('$$(POD_IP)', vars), '$(POD_IP)');
  });
});
