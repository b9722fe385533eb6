// Config validation: the per-revision istio-validator and the cluster-wide istiod-default-validator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  renderDefaultValidatorWebhook,
  renderValidatorWebhook,
} from '../../../../src/render/components/webhooks/index.ts';
import { contextWith, expressions, labelsOf, onlyWebhook, webhookNames } from './webhook-objects.ts';

const istioConfigRule = {
  operations: ['CREATE', 'UPDATE'],
  apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
  apiVersions: ['*'],
  resources: ['*'],
};

describe('renderValidatorWebhook', () => {
  it('validates the default revision’s config at istiod /validate, failing open until istiod flips it', () => {
    // GIVEN the default revision WHEN its validator is rendered
    const validator = renderValidatorWebhook(contextWith());
    // THEN it is istio-validator-<ns> with one webhook for config labelled istio.io/rev=default
    assert.equal(validator.kind, 'ValidatingWebhookConfiguration');
    assert.equal(validator.metadata.name, 'istio-validator-istio-system');
    assert.equal(labelsOf(validator)['istio.io/rev'], 'default');
    assert.equal(labelsOf(validator).app, 'istiod');
    assert.deepEqual(webhookNames(validator), ['rev.validation.istio.io']);
    const w = onlyWebhook(validator);
    assert.deepEqual(w.clientConfig, {
      service: { name: 'istiod', namespace: 'istio-system', path: '/validate' },
    });
    assert.deepEqual(w.rules, [istioConfigRule]);
    assert.deepEqual(expressions(w.objectSelector), ['istio.io/rev In default']);
    assert.equal(w.namespaceSelector, undefined);
    assert.equal(w.failurePolicy, 'Ignore');
    assert.equal(w.sideEffects, 'None');
    assert.deepEqual(w.admissionReviewVersions, ['v1']);
  });

  it('is per revision: name, label, selector and Service follow the revision', () => {
    const validator = renderValidatorWebhook(contextWith('revision=canary'));
    assert.equal(validator.metadata.name, 'istio-validator-canary-istio-system');
    assert.equal(labelsOf(validator)['istio.io/rev'], 'canary');
    const w = onlyWebhook(validator);
    assert.equal(w.clientConfig.service?.name, 'istiod-canary');
    assert.deepEqual(expressions(w.objectSelector), ['istio.io/rev In canary']);
  });

  it('always names the namespace', () => {
    const validator = renderValidatorWebhook(contextWith('namespace=mesh-cp'));
    assert.equal(validator.metadata.name, 'istio-validator-mesh-cp');
    assert.equal(onlyWebhook(validator).clientConfig.service?.namespace, 'mesh-cp');
  });

  it('calls base.validationURL when set', () => {
    const ctx = contextWith('values.base.validationURL=https://127.0.0.1:15017/validate');
    assert.deepEqual(onlyWebhook(renderValidatorWebhook(ctx)).clientConfig, {
      url: 'https://127.0.0.1:15017/validate',
    });
  });

  it('fails closed from the start with a user-supplied CA bundle', () => {
    const w = onlyWebhook(renderValidatorWebhook(contextWith('values.base.validationCABundle=Y2E=')));
    assert.equal(w.clientConfig.caBundle, 'Y2E=');
    assert.equal(w.failurePolicy, 'Fail');
  });

  it('leaves caBundle out otherwise', () => {
    const w = onlyWebhook(renderValidatorWebhook(contextWith()));
    assert.equal('caBundle' in w.clientConfig, false);
  });
});

describe('renderDefaultValidatorWebhook', () => {
  it('validates all Istio config through the revision it is rendered for', () => {
    const validator = renderDefaultValidatorWebhook(contextWith('revision=canary'));
    assert.equal(validator.metadata.name, 'istiod-default-validator');
    assert.equal(labelsOf(validator)['istio.io/rev'], 'canary');
    assert.equal(labelsOf(validator)['istio.io/tag'], undefined);
    const w = onlyWebhook(validator);
    assert.equal(w.name, 'validation.istio.io');
    assert.deepEqual(w.clientConfig, {
      service: { name: 'istiod-canary', namespace: 'istio-system', path: '/validate' },
    });
    assert.deepEqual(w.rules, [istioConfigRule]);
    assert.equal(w.objectSelector, undefined);
    assert.equal(w.failurePolicy, 'Ignore');
  });

  it('as the default tag renders it, validates only config that names no revision', () => {
    const validator = renderDefaultValidatorWebhook(contextWith('revision=canary'), { forDefaultTag: true });
    assert.equal(labelsOf(validator)['istio.io/tag'], 'default');
    assert.equal(labelsOf(validator)['istio.io/rev'], 'canary');
    assert.deepEqual(expressions(onlyWebhook(validator).objectSelector), ['istio.io/rev DoesNotExist']);
  });
});
