// Which injector claims a pod, evaluated the way the API server evaluates the rendered selectors: with the
// default revision, revision canary and tag prod -> canary installed side by side, no pod is ever injected
// twice, and the labels route pods as Istio documents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderInjectorWebhook } from '../../../../src/render/components/webhooks/index.ts';
import { contextWith, matchingWebhooks } from './webhook-objects.ts';
import type { Labels } from './webhook-objects.ts';

const installed = [
  renderInjectorWebhook(contextWith()),
  renderInjectorWebhook(contextWith('revision=canary')),
  renderInjectorWebhook(contextWith('revision=canary'), { tag: 'prod' }),
];

const namespaceLabels: Labels[] = [
  {},
  { 'istio-injection': 'enabled' },
  { 'istio-injection': 'disabled' },
  { 'istio.io/rev': 'default' },
  { 'istio.io/rev': 'canary' },
  { 'istio.io/rev': 'prod' },
  { 'istio-injection': 'enabled', 'istio.io/rev': 'canary' },
];
const podLabels: Labels[] = [
  {},
  { 'sidecar.istio.io/inject': 'true' },
  { 'sidecar.istio.io/inject': 'false' },
  { 'istio.io/rev': 'canary' },
  { 'istio.io/rev': 'prod' },
  { 'sidecar.istio.io/inject': 'false', 'istio.io/rev': 'canary' },
];

/** The injector config that claims the pod, or 'none'. */
function injectorFor(namespace: Labels, pod: Labels): string {
  const [first] = matchingWebhooks(installed, namespace, pod);
  return first?.split('/')[0] ?? 'none';
}

describe('injection routing across revisions', () => {
  it('never sends one pod to two webhooks', () => {
    for (const namespace of namespaceLabels) {
      for (const pod of podLabels) {
        const matches = matchingWebhooks(installed, namespace, pod);
        assert.ok(matches.length <= 1, `${JSON.stringify({ namespace, pod })} -> ${matches.join(', ')}`);
      }
    }
  });

  it('routes by namespace label, istio-injection first', () => {
    assert.equal(injectorFor({ 'istio-injection': 'enabled' }, {}), 'istio-sidecar-injector');
    assert.equal(injectorFor({ 'istio.io/rev': 'canary' }, {}), 'istio-sidecar-injector-canary');
    assert.equal(injectorFor({ 'istio.io/rev': 'prod' }, {}), 'istio-revision-tag-prod');
    // istio-injection wins over istio.io/rev, on the namespace and on the pod
    assert.equal(
      injectorFor({ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' }, {}),
      'istio-sidecar-injector',
    );
    assert.equal(
      injectorFor({ 'istio-injection': 'enabled' }, { 'istio.io/rev': 'canary' }),
      'istio-sidecar-injector',
    );
  });

  it('routes pods in unlabelled namespaces by their own labels', () => {
    assert.equal(injectorFor({}, {}), 'none');
    assert.equal(injectorFor({}, { 'sidecar.istio.io/inject': 'true' }), 'istio-sidecar-injector');
    assert.equal(injectorFor({}, { 'istio.io/rev': 'canary' }), 'istio-sidecar-injector-canary');
    assert.equal(injectorFor({}, { 'istio.io/rev': 'prod' }), 'istio-revision-tag-prod');
  });

  it('injects nothing where a pod opts out or the namespace disables injection', () => {
    assert.equal(injectorFor({ 'istio.io/rev': 'canary' }, { 'sidecar.istio.io/inject': 'false' }), 'none');
    assert.equal(
      injectorFor({ 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }),
      'none',
    );
    assert.equal(injectorFor({ 'istio-injection': 'disabled' }, { 'istio.io/rev': 'canary' }), 'none');
    assert.equal(
      injectorFor({ 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }),
      'none',
    );
  });
});
