// The one answer to "which control plane does this MeshConfig ask for": the renderer, the claim check and the
// revision logic all take it from controlPlaneOf.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeshConfigSpec } from '../../../src/api/index.ts';
import { conflictingMesh } from '../../../src/reconcile/index.ts';
import { controlPlaneOf } from '../../../src/revisions/index.ts';

describe('controlPlaneOf', () => {
  it('takes the namespace from spec.namespace, then values.global.istioNamespace, then istio-system', () => {
    assert.equal(controlPlaneOf('m', { namespace: 'a' }).namespace, 'a');
    assert.equal(controlPlaneOf('m', { values: { global: { istioNamespace: 'b' } } }).namespace, 'b');
    assert.equal(controlPlaneOf('m', {}).namespace, 'istio-system');
  });

  it('names the revision as the strategy does: explicit, one per version when RevisionBased, else default', () => {
    assert.equal(controlPlaneOf('m', { revision: 'canary' }).revision, 'canary');
    const revisionBased = { version: '1.30.8', updateStrategy: { type: 'RevisionBased' } } as MeshConfigSpec;
    assert.equal(controlPlaneOf('prod', revisionBased).revision, 'prod-1-30-8');
    assert.equal(controlPlaneOf('m', {}).revision, 'default');
  });

  it('lets two RevisionBased MeshConfigs share a namespace: their revisions differ, so their claims do', () => {
    const spec = { version: '1.31.0', updateStrategy: { type: 'RevisionBased' } };
    const mesh = (name: string, at: string) => ({
      apiVersion: 'meshop.dev/v1alpha1',
      kind: 'MeshConfig',
      metadata: { name, creationTimestamp: at },
      spec,
    });
    const [a, b] = [mesh('a', '2026-01-01T00:00:00Z'), mesh('b', '2026-02-01T00:00:00Z')];
    assert.equal(conflictingMesh(b, [a, b]), undefined);
    const unrevisioned = { ...b, spec: { profile: 'minimal' } };
    assert.equal(conflictingMesh(unrevisioned, [{ ...a, spec: { profile: 'default' } }])?.metadata.name, 'a');
  });
});
