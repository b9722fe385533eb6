// The sidecar injector MutatingWebhookConfiguration: its webhooks and the labels they select on, where they
// send pods, and how revisions, tags and the remote profile change it (facts checked against istioctl 1.31.0).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderInjectorWebhook } from '../../../../src/render/components/webhooks/index.ts';
import { contextWith, expressions, labelsOf, webhook, webhookNames, webhooks } from './webhook-objects.ts';

const revNamespace = 'rev.namespace.sidecar-injector.istio.io';
const revObject = 'rev.object.sidecar-injector.istio.io';
const legacyNamespace = 'namespace.sidecar-injector.istio.io';
const legacyObject = 'object.sidecar-injector.istio.io';
const auto = 'auto.sidecar-injector.istio.io';

describe('renderInjectorWebhook: the default revision', () => {
  const injector = renderInjectorWebhook(contextWith());

  it('is istio-sidecar-injector, labelled for istiod to find it', () => {
    assert.equal(injector.apiVersion, 'admissionregistration.k8s.io/v1');
    assert.equal(injector.kind, 'MutatingWebhookConfiguration');
    assert.equal(injector.metadata.name, 'istio-sidecar-injector');
    assert.equal(injector.metadata.namespace, undefined);
    assert.equal(labelsOf(injector).app, 'sidecar-injector');
    assert.equal(labelsOf(injector)['istio.io/rev'], 'default');
    assert.equal(labelsOf(injector)['operator.istio.io/component'], 'Pilot');
    assert.equal(labelsOf(injector)['istio.io/tag'], undefined);
  });

  it('has the two revision webhooks and the two legacy ones', () => {
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject, legacyNamespace, legacyObject]);
  });

  it('selects namespaces and pods as istioctl does', () => {
    const selectors = webhooks(injector).map((w) => ({
      name: w.name,
      namespace: expressions(w.namespaceSelector),
      object: expressions(w.objectSelector),
    }));
    assert.deepEqual(selectors, [
      {
        name: revNamespace,
        namespace: ['istio.io/rev In default', 'istio-injection DoesNotExist'],
        object: ['sidecar.istio.io/inject NotIn false'],
      },
      {
        name: revObject,
        namespace: ['istio.io/rev DoesNotExist', 'istio-injection DoesNotExist'],
        object: ['sidecar.istio.io/inject NotIn false', 'istio.io/rev In default'],
      },
      {
        name: legacyNamespace,
        namespace: ['istio-injection In enabled'],
        object: ['sidecar.istio.io/inject NotIn false'],
      },
      {
        name: legacyObject,
        namespace: ['istio-injection DoesNotExist', 'istio.io/rev DoesNotExist'],
        object: ['sidecar.istio.io/inject In true', 'istio.io/rev DoesNotExist'],
      },
    ]);
  });

  it("sends pod creations to istiod's /inject on 443 and fails closed", () => {
    for (const w of webhooks(injector)) {
      assert.deepEqual(w.clientConfig, {
        service: { name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 },
      });
      assert.deepEqual(w.rules, [
        { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] },
      ]);
      assert.equal(w.failurePolicy, 'Fail');
      assert.equal(w.sideEffects, 'None');
      assert.equal(w.reinvocationPolicy, 'Never');
      assert.deepEqual(w.admissionReviewVersions, ['v1']);
    }
  });

  it('leaves caBundle out entirely, for istiod to patch in', () => {
    for (const w of webhooks(injector)) assert.equal('caBundle' in w.clientConfig, false, w.name);
  });
});

describe('renderInjectorWebhook: a revision', () => {
  // GIVEN revision canary WHEN its injector is rendered
  const injector = renderInjectorWebhook(contextWith('revision=canary'));

  it('is named and labelled for the revision and has only the revision webhooks', () => {
    assert.equal(injector.metadata.name, 'istio-sidecar-injector-canary');
    assert.equal(labelsOf(injector)['istio.io/rev'], 'canary');
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject]);
  });

  it('selects istio.io/rev=canary and calls istiod-canary', () => {
    assert.deepEqual(expressions(webhook(injector, revNamespace).namespaceSelector), [
      'istio.io/rev In canary',
      'istio-injection DoesNotExist',
    ]);
    assert.deepEqual(expressions(webhook(injector, revObject).objectSelector), [
      'sidecar.istio.io/inject NotIn false',
      'istio.io/rev In canary',
    ]);
    for (const w of webhooks(injector)) assert.equal(w.clientConfig.service?.name, 'istiod-canary');
  });

  it('does not inject every namespace by default even when asked: only the default revision does', () => {
    const ctx = contextWith(
      'revision=canary',
      'values.sidecarInjectorWebhook.enableNamespacesByDefault=true',
    );
    assert.deepEqual(webhookNames(renderInjectorWebhook(ctx)), [revNamespace, revObject]);
  });
});

describe('renderInjectorWebhook: values that change it', () => {
  it('adds the auto webhook for enableNamespacesByDefault, sparing the system namespaces', () => {
    // GIVEN every namespace is to be injected by default
    const injector = renderInjectorWebhook(
      contextWith('values.sidecarInjectorWebhook.enableNamespacesByDefault=true'),
    );
    // THEN a fifth webhook takes namespaces and pods with no injection labels at all
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject, legacyNamespace, legacyObject, auto]);
    assert.deepEqual(expressions(webhook(injector, auto).namespaceSelector), [
      'istio-injection DoesNotExist',
      'istio.io/rev DoesNotExist',
      'kubernetes.io/metadata.name NotIn kube-system kube-public kube-node-lease local-path-storage',
    ]);
    assert.deepEqual(expressions(webhook(injector, auto).objectSelector), [
      'sidecar.istio.io/inject DoesNotExist',
      'istio.io/rev DoesNotExist',
    ]);
  });

  it('carries the control-plane namespace in its name and Service outside istio-system', () => {
    const injector = renderInjectorWebhook(contextWith('namespace=mesh-cp', 'revision=blue'));
    assert.equal(injector.metadata.name, 'istio-sidecar-injector-blue-mesh-cp');
    assert.deepEqual(webhook(injector, revObject).clientConfig.service, {
      name: 'istiod-blue',
      namespace: 'mesh-cp',
      path: '/inject',
      port: 443,
    });
  });

  it('takes the reinvocation policy from values', () => {
    const ctx = contextWith('values.sidecarInjectorWebhook.reinvocationPolicy=IfNeeded');
    for (const w of webhooks(renderInjectorWebhook(ctx))) assert.equal(w.reinvocationPolicy, 'IfNeeded');
  });

  it('uses an injection path with cluster and network, and a CA bundle, when the user gives them', () => {
    const ctx = contextWith(
      'values.istiodRemote.injectionPath=/inject/cluster/c1/net/n1',
      'values.istiodRemote.injectionCABundle=Y2E=',
    );
    for (const w of webhooks(renderInjectorWebhook(ctx))) {
      assert.equal(w.clientConfig.service?.path, '/inject/cluster/c1/net/n1');
      assert.equal(w.clientConfig.caBundle, 'Y2E=');
    }
  });

  it('honours a name given by the caller', () => {
    const injector = renderInjectorWebhook(contextWith(), { name: 'my-injector' });
    assert.equal(injector.metadata.name, 'my-injector');
  });
});

describe('renderInjectorWebhook: the remote profile', () => {
  it('calls the external istiod at injectionURL instead of a Service', () => {
    // GIVEN a remote cluster whose istiod is reached at a URL
    const ctx = contextWith(
      'profile=remote',
      'values.istiodRemote.injectionURL=https://127.0.0.1:9443/inject',
    );
    // WHEN its injector is rendered THEN every webhook calls that URL and names no Service
    const injector = renderInjectorWebhook(ctx);
    assert.equal(injector.metadata.name, 'istio-sidecar-injector');
    assert.equal(webhooks(injector).length, 4);
    for (const w of webhooks(injector)) {
      assert.deepEqual(w.clientConfig, { url: 'https://127.0.0.1:9443/inject' });
    }
  });

  it('keeps the istiod Service reference when only remotePilotAddress is set (the Service fronts that address)', () => {
    const ctx = contextWith('profile=remote', 'values.global.remotePilotAddress=127.0.0.2');
    for (const w of webhooks(renderInjectorWebhook(ctx))) {
      assert.deepEqual(w.clientConfig, {
        service: { name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 },
      });
    }
  });
});

describe('renderInjectorWebhook: a revision tag', () => {
  it('is istio-revision-tag-<tag>, selecting the tag and calling the revision', () => {
    // GIVEN revision canary WHEN its injector is rendered for tag prod
    const injector = renderInjectorWebhook(contextWith('revision=canary'), { tag: 'prod' });
    // THEN it is named for the tag, labelled with both, and selects istio.io/rev=prod
    assert.equal(injector.metadata.name, 'istio-revision-tag-prod');
    assert.equal(labelsOf(injector)['istio.io/tag'], 'prod');
    assert.equal(labelsOf(injector)['istio.io/rev'], 'canary');
    assert.equal(labelsOf(injector).app, 'sidecar-injector');
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject]);
    assert.deepEqual(expressions(webhook(injector, revNamespace).namespaceSelector), [
      'istio.io/rev In prod',
      'istio-injection DoesNotExist',
    ]);
    assert.deepEqual(expressions(webhook(injector, revObject).objectSelector), [
      'sidecar.istio.io/inject NotIn false',
      'istio.io/rev In prod',
    ]);
    for (const w of webhooks(injector)) assert.equal(w.clientConfig.service?.name, 'istiod-canary');
  });

  it('takes the legacy labels too for the default tag', () => {
    const injector = renderInjectorWebhook(contextWith('revision=canary'), { tag: 'default' });
    assert.equal(injector.metadata.name, 'istio-revision-tag-default');
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject, legacyNamespace, legacyObject]);
    assert.deepEqual(expressions(webhook(injector, revNamespace).namespaceSelector), [
      'istio.io/rev In default',
      'istio-injection DoesNotExist',
    ]);
  });

  it('does not take the legacy labels for another tag of the default revision', () => {
    const injector = renderInjectorWebhook(contextWith(), { tag: 'prod' });
    assert.deepEqual(webhookNames(injector), [revNamespace, revObject]);
    assert.equal(webhook(injector, revNamespace).clientConfig.service?.name, 'istiod');
  });

  it('carries the namespace in its name outside istio-system', () => {
    const injector = renderInjectorWebhook(contextWith('namespace=mesh-cp'), { tag: 'prod' });
    assert.equal(injector.metadata.name, 'istio-revision-tag-prod-mesh-cp');
  });
});
