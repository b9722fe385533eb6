// The install progress model: MeshConfig status snapshots in, per-component states and the mesh's outcome out,
// and the plain lines a log shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComponentStatus, Condition } from '../../../src/api/index.ts';
import { ProgressTracker, snapshotOf } from '../../../src/cli/view/mesh-progress.ts';
import type { MeshWithStatus } from '../../../src/cli/view/mesh-progress.ts';
import { PlainProgressView, transitionLine } from '../../../src/cli/view/progress-view.ts';

const notApplied = (name: string): ComponentStatus => ({
  name,
  phase: 'Reconciling',
  message: 'waiting for istiod',
});
const rolling = (name: string, message: string): ComponentStatus => ({ name, phase: 'Reconciling', message });
const healthy = (name: string, revision?: string): ComponentStatus =>
  revision === undefined ? { name, phase: 'Healthy' } : { name, revision, phase: 'Healthy' };

interface ConditionSpec {
  type: string;
  status: 'True' | 'False';
  generation: number;
  reason?: string;
  message?: string;
}

function condition({ type, status, generation, reason = 'R', message = '' }: ConditionSpec): Condition {
  return {
    type,
    status,
    reason,
    message,
    observedGeneration: generation,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
}

/** A MeshConfig at `generation` whose status was written for `observed`. */
function mesh(
  generation: number,
  observed: number | undefined,
  components: ComponentStatus[] = [],
  conditions: Condition[] = [],
): MeshWithStatus {
  const meta = { name: 'demo', generation };
  const base = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig', metadata: meta };
  return observed === undefined
    ? base
    : { ...base, status: { observedGeneration: observed, components, conditions } };
}

describe('the progress model', () => {
  it('knows no components until the operator reports on the applied generation', () => {
    // GIVEN a status still describing generation 1, all Healthy and Ready
    const old = mesh(2, 1, [healthy('pilot')], [condition({ type: 'Ready', status: 'True', generation: 1 })]);
    // THEN for generation 2 nothing is known yet, and the mesh is not ready
    const snapshot = snapshotOf(old, 2);
    assert.equal(snapshot.components, undefined);
    assert.deepEqual(snapshot.outcome, {
      kind: 'waiting',
      reason: 'waiting for the operator to report on generation 2',
    });
    assert.equal(snapshotOf(mesh(1, undefined), 1).components, undefined);
  });

  it('maps phases to pending, applying, ready and failed', () => {
    const snapshot = snapshotOf(
      mesh(1, 1, [
        notApplied('ingressgateway'),
        rolling('pilot', 'Deployment istio-system/istiod: readyReplicas 0/1'),
        healthy('base', 'canary'),
        { name: 'old', phase: 'Removed' },
      ]),
      1,
    );
    assert.deepEqual(snapshot.components, [
      { name: 'ingressgateway', state: 'pending', message: 'waiting for istiod' },
      { name: 'pilot', state: 'applying', message: 'Deployment istio-system/istiod: readyReplicas 0/1' },
      { name: 'base (canary)', state: 'ready', message: '' },
    ]);
    assert.equal(snapshot.outcome.kind, 'waiting');
  });

  it('is ready only with Ready=True observed for the applied generation', () => {
    assert.deepEqual(
      snapshotOf(
        mesh(3, 3, [healthy('pilot')], [condition({ type: 'Ready', status: 'True', generation: 3 })]),
        3,
      ).outcome,
      {
        kind: 'ready',
      },
    );
    const stale = snapshotOf(
      mesh(3, 3, [rolling('pilot', 'x')], [condition({ type: 'Ready', status: 'True', generation: 2 })]),
      3,
    );
    assert.equal(stale.outcome.kind, 'waiting');
  });

  it('fails on a component in Error, with its message', () => {
    const broken = mesh(1, 1, [
      healthy('base'),
      { name: 'pilot', phase: 'Error', message: 'image pull failed' },
    ]);
    assert.deepEqual(snapshotOf(broken, 1).outcome, { kind: 'failed', message: 'pilot: image pull failed' });
  });

  it('fails when Degraded for this generation, but waits through a conflict the operator retries', () => {
    const invalid = condition({
      type: 'Degraded',
      status: 'True',
      generation: 1,
      reason: 'InvalidSpec',
      message: 'spec.revision: must be a DNS-1123 label',
    });
    assert.deepEqual(snapshotOf(mesh(1, 1, [], [invalid]), 1).outcome, {
      kind: 'failed',
      message: 'InvalidSpec: spec.revision: must be a DNS-1123 label',
    });
    const race = condition({
      type: 'Degraded',
      status: 'True',
      generation: 1,
      reason: 'ApplyConflict',
      message: 'the object has been modified',
    });
    assert.equal(snapshotOf(mesh(1, 1, [], [race]), 1).outcome.kind, 'waiting');
  });

  it('fails when the MeshConfig is deleted under the wait', () => {
    assert.deepEqual(snapshotOf(undefined, 1).outcome, {
      kind: 'failed',
      message: 'the MeshConfig was deleted',
    });
  });

  it('reports each state change once, with the time since the wait started', () => {
    const tracker = new ProgressTracker(1000);
    const first = tracker.update(snapshotOf(mesh(1, 1, [notApplied('gw'), rolling('pilot', 'r')]), 1), 1500);
    assert.deepEqual(
      first.map((t) => [t.name, t.state, t.elapsedMs]),
      [
        ['gw', 'pending', 500],
        ['pilot', 'applying', 500],
      ],
    );
    // The same states again (a message changed): nothing to report.
    assert.deepEqual(
      tracker.update(snapshotOf(mesh(1, 1, [notApplied('gw'), rolling('pilot', 's')]), 1), 2000),
      [],
    );
    const later = tracker.update(snapshotOf(mesh(1, 1, [rolling('gw', 'g'), healthy('pilot')]), 1), 4200);
    assert.deepEqual(
      later.map((t) => [t.name, t.state, t.elapsedMs]),
      [
        ['gw', 'applying', 3200],
        ['pilot', 'ready', 3200],
      ],
    );
  });
});

describe('plain progress lines', () => {
  it('formats a transition with its elapsed time and message', () => {
    assert.equal(
      transitionLine({
        name: 'pilot',
        state: 'applying',
        message: 'Deployment x/istiod: readyReplicas 0/1',
        elapsedMs: 3240,
      }),
      '[3.2s] pilot: applying (Deployment x/istiod: readyReplicas 0/1)',
    );
    assert.equal(
      transitionLine({ name: 'base', state: 'ready', message: '', elapsedMs: 65_000 }),
      '[1m5s] base: ready',
    );
  });

  it('prints the wait once, a line per change and the end', async () => {
    const lines: string[] = [];
    const view = new PlainProgressView('meshconfig.meshop.dev/demo', (l) => lines.push(l));
    const tracker = new ProgressTracker(0);
    for (const [at, m] of [
      [100, mesh(1, undefined)],
      [200, mesh(1, undefined)],
      [900, mesh(1, 1, [notApplied('gw'), rolling('pilot', 'r')])],
      [
        2000,
        mesh(
          1,
          1,
          [healthy('gw'), healthy('pilot')],
          [condition({ type: 'Ready', status: 'True', generation: 1 })],
        ),
      ],
    ] as const) {
      const snapshot = snapshotOf(m, 1);
      view.update(snapshot, tracker.update(snapshot, at), at);
    }
    await view.finish({ ok: true, message: 'ready', elapsedMs: 2000 });
    assert.deepEqual(lines, [
      '[0.1s] meshconfig.meshop.dev/demo: waiting for the operator to report on generation 1',
      '[0.9s] gw: pending (waiting for istiod)',
      '[0.9s] pilot: applying (r)',
      '[2s] gw: ready',
      '[2s] pilot: ready',
      '[2s] meshconfig.meshop.dev/demo ready',
    ]);
  });
});
