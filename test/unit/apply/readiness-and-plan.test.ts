// Readiness that does not trust stale status, and the phase plan that gates webhooks on istiod.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planPhases, readinessOf } from '../../../src/apply/index.ts';
import { ApplyPhases, phasedObjects } from '../../../src/render/index.ts';
import type { RenderedComponent } from '../../../src/render/component.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

function deployment(generation: number, status: Record<string, number>, replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'istiod', namespace: 'istio-system', generation },
    spec: { replicas },
    status,
  };
}
const allReady = {
  observedGeneration: 3,
  replicas: 2,
  updatedReplicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
};

describe('readinessOf', () => {
  it('is ready when the current generation is rolled out everywhere', () => {
    assert.ok(readinessOf(deployment(3, allReady)).ready);
  });

  it('is not ready while the controller has not seen the new generation, whatever the old numbers say', () => {
    const r = readinessOf(deployment(4, allReady));
    assert.ok(!r.ready);
    assert.match(r.reason, /not yet observed/);
  });

  it('is not ready while replicas are missing or old ones linger', () => {
    assert.ok(!readinessOf(deployment(3, { ...allReady, availableReplicas: 1 })).ready);
    assert.ok(!readinessOf(deployment(3, { ...allReady, replicas: 3 })).ready);
  });

  it('reads a CRD as ready once Established, and a DaemonSet once every node is updated and ready', () => {
    const crd = (s: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'x' },
      status: { conditions: [{ type: 'Established', status: s }] },
    });
    assert.ok(readinessOf(crd('True')).ready);
    assert.ok(!readinessOf(crd('False')).ready);
    const ds: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'ztunnel', generation: 1 },
      status: {
        observedGeneration: 1,
        desiredNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberReady: 1,
        numberAvailable: 1,
      },
    };
    assert.ok(!readinessOf(ds).ready);
  });
});

describe('planPhases', () => {
  const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name } });

  it("orders the renderer's phases, gating the control plane, without knowing any component", () => {
    const component = (name: RenderedComponent['name'], objects: KubeObject[]): RenderedComponent => ({
      name,
      objects,
    });
    const phases = planPhases(
      phasedObjects([
        component('webhooks', [obj('MutatingWebhookConfiguration', 'inj')]),
        component('prometheus', [obj('Deployment', 'prometheus')]),
        component('pilot', [obj('Deployment', 'istiod')]),
        component('base', [obj('CustomResourceDefinition', 'gateways.networking.istio.io')]),
        component('ingressGateways', [obj('Deployment', 'istio-ingressgateway')]),
      ]),
    );
    assert.deepEqual(
      phases.map((p) => [p.name, p.gated, p.objects.map((o) => o.metadata.name)]),
      [
        [ApplyPhases.Definitions.name, true, ['gateways.networking.istio.io']],
        [ApplyPhases.ControlPlane.name, true, ['istiod']],
        [ApplyPhases.Webhooks.name, false, ['inj']],
        [ApplyPhases.DataPlane.name, false, ['istio-ingressgateway']],
        [ApplyPhases.Addons.name, false, ['prometheus']],
      ],
    );
  });

  it('takes any phases it is given, in their order, keeping the order within one', () => {
    const late = { name: 'late', order: 9, gated: false };
    const early = { name: 'early', order: 1, gated: true };
    const phases = planPhases([
      { phase: late, object: obj('ConfigMap', 'b') },
      { phase: early, object: obj('ConfigMap', 'a') },
      { phase: late, object: obj('ConfigMap', 'c') },
    ]);
    assert.deepEqual(
      phases.map((p) => [p.name, p.gated, p.objects.map((o) => o.metadata.name)]),
      [
        ['early', true, ['a']],
        ['late', false, ['b', 'c']],
      ],
    );
  });
});
