// --set path=value: paths are under spec, values are typed by their text except where Istio wants strings, and
// flags apply in order without touching the input spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PathError, SetFlagError, applySetFlags, parseSetFlag } from '../../../src/tree/index.ts';
import type { JsonValue } from '../../../src/tree/index.ts';
import { frozenObject } from './tree-builders.ts';

describe('parseSetFlag', () => {
  const table: [string, string, JsonValue][] = [
    // numbers, booleans, null
    ['values.pilot.autoscaleMin=2', 'values.pilot.autoscaleMin', 2],
    ['values.pilot.traceSampling=0.5', 'values.pilot.traceSampling', 0.5],
    ['values.x=-3', 'values.x', -3],
    ['values.x=1e3', 'values.x', 1000],
    ['values.x=007', 'values.x', 7],
    ['values.pilot.enabled=true', 'values.pilot.enabled', true],
    ['values.pilot.enabled=False', 'values.pilot.enabled', false],
    ['values.x=T', 'values.x', true],
    ['values.x=f', 'values.x', false],
    ['values.x=null', 'values.x', null],
    // strings
    ['profile=demo', 'profile', 'demo'],
    ['revision=canary', 'revision', 'canary'],
    ['hub=docker.io/istio', 'hub', 'docker.io/istio'],
    ['values.x=', 'values.x', ''],
    ['values.x=yes', 'values.x', 'yes'],
    ['values.x=1e999', 'values.x', '1e999'],
    ['values.x=a\\,b', 'values.x', 'a,b'],
    ['values.x=a=b', 'values.x', 'a=b'],
    ['  values.x = padded ', 'values.x', 'padded'],
    // names and versions stay strings
    ['tag=1.30', 'tag', '1.30'],
    ['tag=1', 'tag', '1'],
    ['values.global.tag=1.30.0', 'values.global.tag', '1.30.0'],
    ['components.pilot.tag=1.30', 'components.pilot.tag', '1.30'],
    ['compatibilityVersion=1.28', 'compatibilityVersion', '1.28'],
    ['values.compatibilityVersion=1.28', 'values.compatibilityVersion', '1.28'],
    ['version=1.30', 'version', '1.30'],
    ['revision=2', 'revision', '2'],
    ['revisionTags.prod=2', 'revisionTags.prod', '2'],
    [
      'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE=true',
      'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE',
      'true',
    ],
    [
      'values.meshConfig.defaultConfig.proxyMetadata.N=1',
      'values.meshConfig.defaultConfig.proxyMetadata.N',
      '1',
    ],
    ['tag=[x]', 'tag', '[x]'],
    // flow collections
    [
      'values.cni.excludeNamespaces=[kube-system, istio-system]',
      'values.cni.excludeNamespaces',
      ['kube-system', 'istio-system'],
    ],
    ['values.x=[1, true, null, a]', 'values.x', [1, true, null, 'a']],
    ['values.pilot.resources={requests: {cpu: 10m}}', 'values.pilot.resources', { requests: { cpu: '10m' } }],
    ['values.x={"a": [1]}', 'values.x', { a: [1] }],
    ['values.x=[]', 'values.x', []],
    ['values.x=[a, b', 'values.x', '[a, b'],
  ];
  for (const [flag, path, value] of table) {
    it(`reads ${flag}`, () => {
      assert.deepEqual(parseSetFlag(flag), { path, value });
    });
  }

  const bad: [string, RegExp][] = [
    ['values.x', /expected path=value/],
    ['values.x=[a, {b]', /not a valid YAML flow/],
    ['values.x={cpu:10m}', /"cpu:10m" reads as a key without a value/],
    ['values.x=[.inf]', /JSON cannot carry/],
  ];
  for (const [flag, reason] of bad) {
    it(`refuses ${flag}`, () => {
      assert.throws(
        () => parseSetFlag(flag),
        (err: unknown) => err instanceof SetFlagError && err.flag === flag && reason.test(err.message),
      );
    });
  }

  it('refuses a malformed path with a PathError', () => {
    assert.throws(() => parseSetFlag('values..x=1'), PathError);
  });
});

describe('applySetFlags', () => {
  it('writes each flag under spec, creating what is missing, later flags winning', () => {
    // GIVEN a spec with a profile (frozen, to catch mutation)
    const spec = frozenObject({ profile: 'default', values: { pilot: { autoscaleMin: 1 } } });
    // WHEN flags set the profile, a revision, a nested value twice and a list element
    const result = applySetFlags(spec, [
      'profile=demo',
      'revision=canary',
      'values.pilot.autoscaleMin=2',
      'values.pilot.autoscaleMin=3',
      'components.ingressGateways.[0].name=istio-ingressgateway',
      'components.ingressGateways.[0].enabled=false',
    ]);
    // THEN all are in the result, and the input is unchanged
    assert.deepEqual(result, {
      profile: 'demo',
      values: { pilot: { autoscaleMin: 3 } },
      revision: 'canary',
      components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] },
    });
    assert.deepEqual(spec, { profile: 'default', values: { pilot: { autoscaleMin: 1 } } });
  });

  it('selects list elements by name, as istioctl does', () => {
    const spec = { components: { ingressGateways: [{ name: 'a' }, { name: 'b' }] } };
    const result = applySetFlags(spec, ['components.ingressGateways.[name:b].enabled=false']);
    assert.deepEqual(result.components, { ingressGateways: [{ name: 'a' }, { name: 'b', enabled: false }] });
  });

  it('reports a path that does not fit the spec as a SetFlagError naming the flag and the segment', () => {
    assert.throws(
      () => applySetFlags({ profile: 'demo' }, ['profile.x=1']),
      (err: unknown) =>
        err instanceof SetFlagError &&
        err.cause instanceof PathError &&
        err.cause.segment === 'x' &&
        err.message.startsWith('--set profile.x=1: path "profile.x": segment "x": expected a map'),
    );
  });
});
