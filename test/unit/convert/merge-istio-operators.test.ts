// Several -f files: each IstioOperator is merged over the ones before it, as istioctl does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConversionError,
  convertIstioOperator,
  mergeIstioOperators,
  readIstioOperator,
} from '../../../src/convert/index.ts';
import { context, iop, testdata } from './iop-builders.ts';
import type { Json } from './iop-builders.ts';

describe('mergeIstioOperators', () => {
  it('maps merge, lists and scalars of later files win', () => {
    // GIVEN the production IstioOperator and an overlay file
    const base = readIstioOperator(testdata('istio-operator.yaml'), 'base.yaml');
    const overlay = readIstioOperator(testdata('production-overlay.yaml'), 'overlay.yaml');
    // WHEN they are merged in order and converted
    const merged = mergeIstioOperators([base, overlay]);
    const { meshConfig } = convertIstioOperator(merged, context);
    // THEN the overlay's name, replica count and gateway list win and everything else is the base's
    const spec = meshConfig.spec as Json;
    const components = spec.components as Json;
    assert.equal(meshConfig.metadata.name, 'production');
    assert.deepEqual(components.ingressGateways, [{ name: 'istio-ingressgateway', enabled: true }]);
    assert.equal(((components.pilot as Json).k8s as Json).replicaCount, 3);
    assert.deepEqual(((components.pilot as Json).k8s as Json).priorityClassName, 'system-cluster-critical');
    assert.equal((spec.meshConfig as Json).accessLogFile, '');
    assert.equal((spec.meshConfig as Json).accessLogEncoding, 'JSON');
    assert.equal(spec.revision, '1-30-8');
  });

  it('a null in a later file removes what an earlier one set', () => {
    const merged = mergeIstioOperators([
      readIstioOperator(iop({ hub: 'example.com/istio', tag: '1.30.8' }), 'a'),
      readIstioOperator(iop({ hub: null }), 'b'),
    ]);
    assert.deepEqual(merged.spec, { tag: '1.30.8' });
  });

  it('a document that is not an IstioOperator is refused, naming its source', () => {
    assert.throws(
      () => readIstioOperator({ apiVersion: 'v1', kind: 'ConfigMap' }, 'extra.yaml'),
      (err: unknown) =>
        err instanceof ConversionError &&
        err.message ===
          'extra.yaml: not an IstioOperator (expected apiVersion install.istio.io/v1alpha1, kind ' +
            'IstioOperator; found apiVersion "v1", kind "ConfigMap")',
    );
  });
});
