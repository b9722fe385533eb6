// renderWebhooks: which webhook configurations a revision renders, by profile and values.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderWebhooks } from '../../../../src/render/components/webhooks/index.ts';
import { contextWith } from './webhook-objects.ts';

function rendered(...flags: string[]): string[] {
  return renderWebhooks(contextWith(...flags)).objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`);
}

const injector = 'MutatingWebhookConfiguration/istio-sidecar-injector';
const validator = 'ValidatingWebhookConfiguration/istio-validator-istio-system';
const defaultValidator = 'ValidatingWebhookConfiguration/istiod-default-validator';

describe('renderWebhooks', () => {
  it('is the webhooks component of the revision, with no workload', () => {
    const component = renderWebhooks(contextWith('revision=canary'));
    assert.equal(component.name, 'webhooks');
    assert.equal(component.revision, 'canary');
    assert.equal(component.workload, undefined);
    assert.equal(renderWebhooks(contextWith()).revision, undefined);
  });

  it('renders the injector, the validator and, unrevisioned, the default validator for the default profile', () => {
    // As after `istioctl install`, whose first install makes the default tag: unlabelled config is validated.
    assert.deepEqual(rendered(), [injector, validator, defaultValidator]);
  });

  it('leaves the default validator to a default revision tag when the spec has one', () => {
    assert.deepEqual(rendered('revisionTags.default=active'), [injector, validator]);
  });

  it('renders the revision’s own pair for a revision', () => {
    assert.deepEqual(rendered('revision=canary'), [
      'MutatingWebhookConfiguration/istio-sidecar-injector-canary',
      'ValidatingWebhookConfiguration/istio-validator-canary-istio-system',
    ]);
  });

  it('renders no validator when configValidation is off', () => {
    assert.deepEqual(rendered('values.global.configValidation=false'), [injector]);
  });

  it('renders only the injector for the remote profile', () => {
    assert.deepEqual(rendered('profile=remote'), [injector]);
    assert.deepEqual(
      rendered('profile=remote', 'values.istiodRemote.injectionURL=https://127.0.0.1:9443/inject'),
      [injector],
    );
  });

  it('validates in a remote cluster that is the config cluster or injects locally', () => {
    assert.deepEqual(rendered('profile=remote', 'values.global.configCluster=true'), [
      injector,
      validator,
      defaultValidator,
    ]);
    assert.deepEqual(rendered('profile=remote', 'values.istiodRemote.enabledLocalInjectorIstiod=true'), [
      injector,
      validator,
      defaultValidator,
    ]);
  });

  it('adds istiod-default-validator when defaultRevision names this revision', () => {
    assert.deepEqual(rendered('values.defaultRevision=default'), [injector, validator, defaultValidator]);
    assert.deepEqual(rendered('revision=canary', 'values.defaultRevision=canary'), [
      'MutatingWebhookConfiguration/istio-sidecar-injector-canary',
      'ValidatingWebhookConfiguration/istio-validator-canary-istio-system',
      defaultValidator,
    ]);
    // it belongs to the base chart, so configValidation does not turn it off
    assert.deepEqual(rendered('values.global.configValidation=false', 'values.defaultRevision=default'), [
      injector,
      defaultValidator,
    ]);
  });

  it('leaves istiod-default-validator to the revision defaultRevision names, and to an enabled base', () => {
    assert.ok(!rendered('revision=canary', 'values.defaultRevision=stable').includes(defaultValidator));
    assert.ok(!rendered('values.defaultRevision=canary').includes(defaultValidator));
    assert.ok(
      !rendered('components.base.enabled=false', 'values.defaultRevision=default').includes(defaultValidator),
    );
  });

  it('renders no injector when another operator manages webhooks, and nothing for a namespace-scoped install', () => {
    assert.deepEqual(rendered('values.global.operatorManageWebhooks=true'), [validator, defaultValidator]);
    assert.deepEqual(rendered('values.global.resourceScope=namespace'), []);
  });

  it('renders no caBundle anywhere by default', () => {
    for (const object of renderWebhooks(contextWith('values.defaultRevision=default')).objects) {
      assert.doesNotMatch(JSON.stringify(object), /caBundle/, object.metadata.name);
    }
  });
});
