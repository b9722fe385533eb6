// What aggregated discovery's answer is made into: the namespaced kinds a namespace could hold, each listed once
// at its group's most preferred version, and the groups whose answer is stale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servedKindsOf } from '../../../src/kube/index.ts';

const resource = (resource: string, kind: string, scope: string, verbs = ['get', 'list', 'watch']) => ({
  resource,
  responseKind: { group: '', version: '', kind },
  scope,
  verbs,
});

describe('servedKindsOf', () => {
  const served = servedKindsOf([
    {
      metadata: {},
      versions: [
        {
          version: 'v1',
          resources: [
            resource('pods', 'Pod', 'Namespaced'),
            resource('namespaces', 'Namespace', 'Cluster'),
            resource('bindings', 'Binding', 'Namespaced', ['create']),
          ],
        },
      ],
    },
    {
      metadata: { name: 'example.com' },
      versions: [
        { version: 'v2', resources: [resource('widgets', 'Widget', 'Namespaced')] },
        {
          version: 'v1',
          resources: [
            resource('widgets', 'Widget', 'Namespaced'),
            resource('gadgets', 'Gadget', 'Namespaced'),
          ],
        },
      ],
    },
    { metadata: { name: 'metrics.k8s.io' }, versions: [{ version: 'v1beta1', freshness: 'Stale' }] },
  ]);

  it('lists namespaced kinds that support list, at the first version serving each', () => {
    assert.deepEqual(served.listable, [
      { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
      { apiVersion: 'example.com/v2', kind: 'Widget', plural: 'widgets' },
      { apiVersion: 'example.com/v1', kind: 'Gadget', plural: 'gadgets' },
    ]);
  });

  it('knows every namespaced kind at every version, for owner references', () => {
    assert.ok(served.namespaced.has('example.com/v1 Widget'));
    assert.ok(served.namespaced.has('v1 Binding'));
    assert.ok(!served.namespaced.has('v1 Namespace'));
  });

  it('names the groups whose discovery is stale', () => {
    assert.deepEqual(served.stale, ['metrics.k8s.io']);
  });
});
