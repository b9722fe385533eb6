// Which revision's proxy a pod runs, read from what istiod's injection writes on it, and the label selector
// that finds such pods without listing every pod of the cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injectedPodSelector, podProxyRevision } from '../../../src/revisions/index.ts';
import { matches } from '../../support/label-selector.ts';
import { injectedPodMetadata, sidecarStatus } from '../../support/injected-pod.ts';

describe('podProxyRevision', () => {
  it('reads the revision from the sidecar status injection wrote', () => {
    assert.equal(podProxyRevision(injectedPodMetadata('prod-1-30-8')), 'prod-1-30-8');
    assert.equal(podProxyRevision(injectedPodMetadata('')), 'default', 'an unrevisioned istiod injected it');
    const gateway = injectedPodMetadata('canary', { labels: { app: 'gw' } }, 'gateway');
    assert.equal(podProxyRevision(gateway), 'canary');
  });

  it('does not take an istio.io/rev label for a proxy: such a pod was only asking to be injected', () => {
    assert.equal(podProxyRevision({ annotations: {} }), undefined);
    assert.equal(podProxyRevision({}), undefined);
    const asking = { labels: { 'istio.io/rev': 'canary' }, annotations: { 'istio.io/rev': 'canary' } };
    assert.equal(podProxyRevision(asking), undefined, 'no sidecar status: not injected');
  });

  it('prefers the status revision over the istio.io/rev annotation', () => {
    const annotations = { 'istio.io/rev': 'other', 'sidecar.istio.io/status': sidecarStatus('canary') };
    assert.equal(podProxyRevision({ annotations }), 'canary');
  });

  it('falls back to the istio.io/rev annotation, then default, when the status names no revision', () => {
    const statusWithout = JSON.stringify({ containers: ['istio-proxy'] });
    const cases: [Record<string, string>, string][] = [
      [{ 'sidecar.istio.io/status': statusWithout, 'istio.io/rev': 'canary' }, 'canary'],
      [{ 'sidecar.istio.io/status': '{"revision":""}', 'istio.io/rev': 'canary' }, 'canary'],
      [{ 'sidecar.istio.io/status': 'not json', 'istio.io/rev': 'canary' }, 'canary'],
      [{ 'sidecar.istio.io/status': statusWithout }, 'default'],
      [{ 'sidecar.istio.io/status': '"a string"' }, 'default'],
    ];
    for (const [annotations, want] of cases) assert.equal(podProxyRevision({ annotations }), want);
  });
});

describe('injectedPodSelector', () => {
  const selects = (labels: Record<string, string>): boolean =>
    matches({ matchExpressions: [{ key: injectedPodSelector, operator: 'Exists' }] }, labels);

  it('selects pods injected by the sidecar and the gateway templates alike', () => {
    assert.ok(selects(injectedPodMetadata('r1', { labels: { app: 'web' } }).labels));
    assert.ok(selects(injectedPodMetadata('r1', { labels: { app: 'gw' } }, 'gateway').labels));
  });

  it('does not select a pod that only carries an istio.io/rev label', () => {
    assert.equal(selects({ app: 'web', 'istio.io/rev': 'r1' }), false);
  });
});
