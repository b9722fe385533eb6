// GIVEN a CRD whose schema uses x-kubernetes-* extensions, WHEN it is applied through src/kube, THEN the API
// server stores the schema exactly as sent, and a custom resource keeps fields the schema does not name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { uniqueName } from '../support/names.ts';

const group = 'roundtrip.meshop.dev';
const plural = uniqueName('widgets').replace('-', '');
const crdName = `${plural}.${group}`;

const schema = {
  type: 'object',
  description: 'A widget with a structural schema and every x-kubernetes extension we rely on.',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', minimum: 1, default: 3 },
        port: { 'x-kubernetes-int-or-string': true },
        values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        gateways: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string' },
          'x-kubernetes-map-type': 'granular',
        },
      },
      'x-kubernetes-validations': [{ rule: 'self.size <= 100', message: 'size is at most 100' }],
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: crdName },
  spec: {
    group,
    scope: 'Cluster',
    names: { plural, singular: plural.slice(0, -1), kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: schema },
        subresources: { status: {} },
      },
    ],
  },
};

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

describe('CRD round trip through src/kube', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
  });
  after(async () => {
    await kube.objects.delete({ apiVersion: crd.apiVersion, kind: crd.kind, name: crdName });
    await cluster.stop();
  });

  it('stores the schema byte-equal, x-kubernetes-* keys included', async () => {
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    const stored = await kube.objects.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: crdName });
    const versions = (stored.spec as { versions: { schema: { openAPIV3Schema: unknown } }[] }).versions;
    // The API server writes object keys in sorted order (Go's encoding/json), so compare the canonical
    // serialization of both sides: every key and value identical, nothing dropped or added.
    assert.equal(canonicalJson(versions[0]?.schema.openAPIV3Schema), canonicalJson(schema));
  });

  it('keeps unknown fields of a custom resource under x-kubernetes-preserve-unknown-fields', async () => {
    await eventually(
      'CRD Established',
      async () => {
        const c = await kube.objects.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: crdName });
        const conds = (c.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
        return conds.some((x) => x.type === 'Established' && x.status === 'True');
      },
      30_000,
    );
    const values = { global: { hub: 'docker.io/istio', nested: { anything: [1, 'two', { three: true }] } } };
    const widget: KubeObject = {
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1' },
      spec: { port: 'http', values, gateways: [{ name: 'a' }], labels: { x: 'y' } },
    };
    const applied = await kube.objects.apply(widget, { fieldManager: 'meshop-test' });
    const read = await kube.objects.get({ apiVersion: widget.apiVersion, kind: 'Widget', name: 'w1' });
    for (const obj of [applied, read]) {
      assert.deepEqual((obj.spec as { values: unknown }).values, values);
      assert.equal((obj.spec as { size: number }).size, 3, 'the schema default was applied');
      assert.equal((obj.spec as { port: string }).port, 'http');
    }
  });

  it('rejects what the CEL rule forbids, naming the field', async () => {
    const big: KubeObject = {
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w2' },
      spec: { size: 101 },
    };
    await assert.rejects(kube.objects.apply(big, { fieldManager: 'meshop-test' }), (err: Error) => {
      assert.match(err.message, /422 Invalid/);
      assert.match(err.message, /spec: Invalid value: .*size is at most 100/);
      return true;
    });
  });
});
