// Profiles are the release's own files, layered over its `default` as istioctl layers them; a profile a release
// adds needs no code, and one it lacks is refused with the release's list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  UnknownProfileError,
  layeredProfile,
  profileNames,
  profileOf,
  releaseProfileNames,
} from '../../../src/profiles/index.ts';
import type { ReleaseProfiles } from '../../../src/profiles/index.ts';
import type { JsonObject } from '../../../src/tree/index.ts';
import { testRelease } from '../../support/render-fixtures.ts';

const iop = (spec: JsonObject): JsonObject => ({
  apiVersion: 'install.istio.io/v1alpha1',
  kind: 'IstioOperator',
  spec,
});

describe('release profiles', () => {
  it("lists the release's profiles, the documented ones first, then new ones by name", () => {
    const { artifacts } = testRelease();
    assert.deepEqual(releaseProfileNames(artifacts.profiles), [...profileNames]);
    const withNew: ReleaseProfiles = { ...artifacts.profiles, zeta: iop({}), alpha: iop({}) };
    assert.deepEqual(releaseProfileNames(withNew), [...profileNames, 'alpha', 'zeta']);
  });

  it('layers a profile over default: maps merge, lists replace, null removes', () => {
    const profiles: ReleaseProfiles = {
      default: iop({ hub: 'h', values: { a: 1, b: 2 }, components: { ingressGateways: [{ name: 'in' }] } }),
      mine: iop({ values: { b: 3, a: null }, components: { ingressGateways: [{ name: 'other' }] } }),
    };
    assert.deepEqual(layeredProfile(profiles, 'mine').spec, {
      hub: 'h',
      values: { b: 3 },
      components: { ingressGateways: [{ name: 'other' }] },
    });
    assert.deepEqual(layeredProfile(profiles, 'default').spec, profiles.default?.spec);
  });

  it("demo of the release turns the egress gateway on over default's ingress gateway", () => {
    const { artifacts } = testRelease();
    const spec = layeredProfile(artifacts.profiles, 'demo').spec as { components: Record<string, unknown> };
    assert.deepEqual(spec.components.egressGateways, [{ name: 'istio-egressgateway', enabled: true }]);
    assert.deepEqual(spec.components.ingressGateways, [{ name: 'istio-ingressgateway', enabled: true }]);
  });

  it("takes default for an unset or empty profile and refuses one the release lacks, listing the release's", () => {
    const { artifacts } = testRelease();
    assert.equal(profileOf({}, artifacts.profiles), 'default');
    assert.equal(profileOf({ profile: '' }, artifacts.profiles), 'default');
    assert.equal(profileOf({ profile: 'ambient' }, artifacts.profiles), 'ambient');
    assert.throws(
      () => profileOf({ profile: 'ambiant' }, artifacts.profiles),
      (err: unknown) =>
        err instanceof UnknownProfileError &&
        err.message === `unknown profile "ambiant" (known: ${profileNames.join(', ')})`,
    );
  });
});
