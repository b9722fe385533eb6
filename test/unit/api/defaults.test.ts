// withDefaults: meshop's own defaults fill what the user left unset, never what they set, and never in place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withDefaults } from '../../../src/api/index.ts';
import type { MeshConfigSpec } from '../../../src/api/index.ts';

function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

describe('withDefaults', () => {
  it('fills profile, update strategy and teardown in an empty spec', () => {
    // GIVEN no spec at all, WHEN defaulted
    const spec = withDefaults(undefined);
    // THEN meshop's defaults are there
    assert.deepEqual(spec, {
      profile: 'default',
      updateStrategy: { type: 'InPlace' },
      teardown: { removeCRDs: false },
    });
  });

  it('keeps what the user set, including siblings of defaulted fields', () => {
    // GIVEN a spec that sets some of the defaulted fields' neighbours
    const input: MeshConfigSpec = {
      profile: 'demo',
      updateStrategy: { restartWorkloads: { enabled: true } },
      teardown: { removeCRDs: true },
      revision: 'canary',
    };
    // WHEN defaulted
    const spec = withDefaults(input);
    // THEN only the unset leaf is filled
    assert.deepEqual(spec, {
      profile: 'demo',
      updateStrategy: { restartWorkloads: { enabled: true }, type: 'InPlace' },
      teardown: { removeCRDs: true },
      revision: 'canary',
    });
  });

  it('does not change its input, and the result shares nothing with it', () => {
    // GIVEN a deeply frozen spec (any write would throw)
    const input = frozen<MeshConfigSpec>({ components: { pilot: { k8s: { replicaCount: 2 } } } });
    // WHEN defaulted and the result is changed
    const spec = withDefaults(input);
    spec.components!.pilot!.k8s!.replicaCount = 5;
    // THEN the input is as it was
    assert.equal(input.components?.pilot?.k8s?.replicaCount, 2);
  });

  it('reads null (as a YAML file may hold) as unset', () => {
    const input = { profile: null, updateStrategy: null, teardown: null } as unknown as MeshConfigSpec;
    assert.deepEqual(withDefaults(input), {
      profile: 'default',
      updateStrategy: { type: 'InPlace' },
      teardown: { removeCRDs: false },
    });
  });
});
