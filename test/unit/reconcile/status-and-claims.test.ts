// The reconciler's pure parts: conditions by the Kubernetes conventions, one status patch or none, and which
// MeshConfig owns a control plane when two claim it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionMessageLimit } from '../../../src/api/index.ts';
import type { KubeObject } from '../../../src/kube/index.ts';
import { conflictingMesh } from '../../../src/reconcile/index.ts';
import { setCondition } from '../../../src/reconcile/conditions.ts';
import { appliedStatus, refusedStatus, statusPatch } from '../../../src/reconcile/mesh-status.ts';

const at = (now: string, generation = 1) => ({ now, generation });

describe('setCondition', () => {
  it('moves lastTransitionTime only when the status changes', () => {
    const first = setCondition([], { type: 'Ready', status: 'False', reason: 'A', message: '' }, at('t1'));
    const same = setCondition(
      first,
      { type: 'Ready', status: 'False', reason: 'B', message: 'x' },
      at('t2', 2),
    );
    const [c] = same;
    assert.ok(c);
    assert.equal(c.lastTransitionTime, 't1');
    assert.equal(c.reason, 'B');
    assert.equal(c.observedGeneration, 2);
    const flipped = setCondition(same, { type: 'Ready', status: 'True', reason: 'C', message: '' }, at('t3'));
    assert.equal(flipped[0]?.lastTransitionTime, 't3');
  });

  it("cuts a message longer than the API's limit, marked, so the status write is not refused", () => {
    const huge = 'é'.repeat(conditionMessageLimit + 10);
    const [c] = setCondition([], { type: 'Degraded', status: 'True', reason: 'A', message: huge }, at('t1'));
    const chars = Array.from(c?.message ?? '');
    assert.equal(chars.length, conditionMessageLimit);
    assert.match(c?.message ?? '', /\(cut\)$/);
    const short = setCondition(
      [],
      { type: 'Degraded', status: 'True', reason: 'A', message: 'ok' },
      at('t1'),
    );
    assert.equal(short[0]?.message, 'ok');
  });
});

describe('status writes', () => {
  it('computes no patch when a reconcile changes nothing', () => {
    const components = [{ name: 'pilot', phase: 'Healthy' as const }];
    const first = appliedStatus({ previous: undefined, generation: 3, now: 't1' }, components, undefined);
    const again = appliedStatus({ previous: first, generation: 3, now: 't2' }, components, undefined);
    assert.equal(statusPatch(first, again), undefined);
  });

  it('keeps Ready as it was when a spec is refused, and says why in Reconciled and Degraded', () => {
    const healthy = appliedStatus({ previous: undefined, generation: 1, now: 't1' }, [], undefined);
    const refused = refusedStatus(
      { previous: healthy, generation: 2, now: 't2' },
      'InvalidSpec',
      'spec.x: bad',
    );
    const byType = new Map(refused.conditions?.map((c) => [c.type, c]));
    assert.equal(byType.get('Ready')?.status, 'True');
    assert.equal(byType.get('Reconciled')?.reason, 'InvalidSpec');
    assert.equal(byType.get('Degraded')?.status, 'True');
    assert.deepEqual(Object.keys(statusPatch(healthy, refused) ?? {}), ['status']);
  });
});

describe('conflictingMesh', () => {
  const mesh = (name: string, created: string, spec: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'meshop.dev/v1alpha1',
    kind: 'MeshConfig',
    metadata: { name, creationTimestamp: created },
    spec,
  });

  it('lets the older claim on a namespace and revision win', () => {
    const a = mesh('a', '2026-01-01T00:00:00Z');
    const b = mesh('b', '2026-02-01T00:00:00Z', { namespace: 'istio-system' });
    assert.equal(conflictingMesh(b, [a, b])?.metadata.name, 'a');
    assert.equal(conflictingMesh(a, [a, b]), undefined);
  });

  it('sees no conflict between revisions or namespaces', () => {
    const a = mesh('a', '2026-01-01T00:00:00Z');
    assert.equal(conflictingMesh(mesh('b', '2026-02-01T00:00:00Z', { revision: 'canary' }), [a]), undefined);
    assert.equal(conflictingMesh(mesh('c', '2026-02-01T00:00:00Z', { namespace: 'other' }), [a]), undefined);
  });
});
