// Which live objects a mesh may write over: its own, the shared Istio CRDs, and with the adopt annotation an
// object nobody's mesh owns; never another MeshConfig's; an existing Namespace is used and left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { adoptExistingAnnotation as adoptAnnotation } from '../../../src/api/index.ts';
import { claimCheck } from '../../../src/reconcile/object-claims.ts';

const mesh = (annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'meshop.dev/v1alpha1',
  kind: 'MeshConfig',
  metadata: { name: 'mine', ...(annotations ? { annotations } : {}) },
});

const object = (kind: string, labels?: Record<string, string>, managers: string[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind,
  metadata: {
    name: 'x',
    ...(labels ? { labels } : {}),
    managedFields: managers.map((manager) => ({ manager })),
  },
});

const ours = { 'app.kubernetes.io/managed-by': 'meshop', 'meshop.dev/mesh': 'mine' };
const theirs = { 'app.kubernetes.io/managed-by': 'meshop', 'meshop.dev/mesh': 'other' };
const shared = { 'app.kubernetes.io/managed-by': 'meshop', 'meshop.dev/component': 'base' };

describe('object claims', () => {
  const check = claimCheck(mesh());

  it('applies what does not exist yet and what the mesh owns', () => {
    assert.deepEqual(check(object('Deployment'), undefined), { kind: 'apply' });
    assert.deepEqual(check(object('Deployment'), object('Deployment', ours)), { kind: 'apply' });
  });

  it("shares Istio's CRDs among meshes, but no other object meshop labelled without a mesh", () => {
    const crd = object('CustomResourceDefinition');
    assert.deepEqual(check(crd, object('CustomResourceDefinition', shared)), { kind: 'apply' });
    assert.equal(check(object('Deployment'), object('Deployment', shared)).kind, 'conflict');
  });

  it("refuses another MeshConfig's object, even when asked to adopt", () => {
    const expected = { kind: 'conflict', reason: 'owned by MeshConfig other' };
    assert.deepEqual(check(object('Service'), object('Service', theirs)), expected);
    assert.deepEqual(
      claimCheck(mesh({ [adoptAnnotation]: 'true' }))(object('Service'), object('Service', theirs)),
      expected,
    );
  });

  it('refuses an object meshop did not create, naming who wrote it, unless the mesh adopts it', () => {
    const helm = object('Deployment', { 'app.kubernetes.io/managed-by': 'Helm' });
    const decision = check(object('Deployment'), helm);
    assert.match(
      decision.kind === 'conflict' ? decision.reason : decision.kind,
      /written by Helm.*meshop\.dev\/adopt-existing=true/,
    );
    const byIstioctl = check(object('Deployment'), object('Deployment', {}, ['istioctl', 'istioctl']));
    assert.match(byIstioctl.kind === 'conflict' ? byIstioctl.reason : '', /written by istioctl\);/);
    assert.deepEqual(claimCheck(mesh({ [adoptAnnotation]: 'true' }))(object('Deployment'), helm), {
      kind: 'adopt',
    });
  });

  it("takes over the injector istioctl tag set made for a tag the spec declares, and nothing else of istioctl's", () => {
    const tagged = (tag: string): KubeObject => ({
      ...object('MutatingWebhookConfiguration', { 'istio.io/tag': tag }, ['istioctl']),
      apiVersion: 'admissionregistration.k8s.io/v1',
    });
    assert.deepEqual(check(tagged('prod'), tagged('prod')), { kind: 'adopt' });
    assert.equal(check(tagged('prod'), tagged('canary')).kind, 'conflict');
  });

  it('uses an existing Namespace as it is, without taking it over', () => {
    assert.deepEqual(check(object('Namespace'), object('Namespace', { team: 'a' })), { kind: 'leave' });
  });
});
