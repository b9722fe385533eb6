// A reconcile observes the mesh's revisions once, before it applies; what the apply did to istiod Deployments is
// folded in rather than read again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/objects/index.ts';
import type { MeshObject } from '../../../src/reconcile/index.ts';
import { revisionsAfterApply } from '../../../src/reconcile/revision-state.ts';
import type { LiveRevision } from '../../../src/reconcile/revision-state.ts';

const mesh = {
  apiVersion: 'meshop.dev/v1alpha1',
  kind: 'MeshConfig',
  metadata: { name: 'prod' },
} as MeshObject;

function istiod(name: string, revision: string, ready: boolean, owner = 'prod'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'istio-system',
      generation: 1,
      labels: {
        'meshop.dev/mesh': owner,
        'meshop.dev/component': 'pilot',
        'meshop.dev/revision': revision,
        'meshop.dev/istio-version': '1.31.0',
      },
    },
    spec: { replicas: 1 },
    status: ready
      ? { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }
      : { observedGeneration: 1, replicas: 0 },
  };
}

describe('revisionsAfterApply', () => {
  const old: LiveRevision = {
    name: 'r1',
    version: '1.30.8',
    ready: true,
    workload: 'istio-system/istiod-r1',
  };

  it('adds the revision the apply created and keeps those it did not touch', () => {
    const after = revisionsAfterApply(mesh, [old], [istiod('istiod-r2', 'r2', false)]);
    assert.deepEqual(after, [
      old,
      { name: 'r2', version: '1.31.0', ready: false, workload: 'istio-system/istiod-r2' },
    ]);
  });

  it("takes an applied revision's readiness from what the apply left", () => {
    const before = { ...old, ready: false };
    const after = revisionsAfterApply(mesh, [before], [istiod('istiod-r1', 'r1', true)]);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.ready, true);
  });

  it("ignores other objects, and another mesh's istiod", () => {
    const service = { ...istiod('istiod-r3', 'r3', true), apiVersion: 'v1', kind: 'Service' };
    const theirs = istiod('istiod-x', 'x', true, 'other');
    assert.deepEqual(revisionsAfterApply(mesh, [old], [service, theirs]), [old]);
  });
});
