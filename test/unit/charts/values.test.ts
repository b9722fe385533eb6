// Values: the user's values coalesced over values.yaml with Helm's rules, and Istio's
// `_internal_defaults_do_not_set` layering, which relies on Helm's template execution order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { outputOf, renderDir, testdata } from './engine-fixture.ts';
import type { JsonObject } from '../../../src/tree/index.ts';

async function nestedValues(values: JsonObject): Promise<unknown> {
  const result = await renderDir(testdata('basic'), values);
  const data = (parse(outputOf(result, 'values.gotmpl')) as { data: Record<string, string> }).data;
  return parse(data.nested ?? '');
}

interface Deployment {
  spec: { replicas: number; template: { spec: { containers: { image: string; args: string[] }[] } } };
}

async function profiledDeployment(values: JsonObject): Promise<Deployment> {
  const result = await renderDir(testdata('profile'), values);
  return parse(outputOf(result, 'deployment.gotmpl')) as Deployment;
}

describe('values', () => {
  it('merges maps recursively, the user’s value winning and a user null deleting the key', async () => {
    const nested = await nestedValues({
      nested: { replace: 'user', remove: null, added: 'user', deeper: { b: 2 } },
    });
    assert.deepEqual(nested, { keep: 'chart', replace: 'user', added: 'user', deeper: { a: 1, b: 2 } });
  });

  it('lets a user scalar replace a whole chart map', async () => {
    const result = await renderDir(testdata('basic'), { empty: 'flat' });
    assert.match(outputOf(result, 'values.gotmpl'), /empty: "flat"/);
  });

  it('layers defaults, profile and user values the way Istio’s zzz_profile.yaml expects', async () => {
    const plain = await profiledDeployment({});
    const container = plain.spec.template.spec.containers[0]!;
    assert.equal(plain.spec.replicas, 1);
    assert.equal(container.image, 'docker.io/istio/proxyv2:1.0');
    assert.deepEqual(container.args, ['--log-level=warning', '--extra=from-pilot']);

    const big = await profiledDeployment({
      profile: 'big',
      tag: '2.0',
      global: { proxy: { image: 'custom' } },
    });
    const bigContainer = big.spec.template.spec.containers[0]!;
    assert.equal(big.spec.replicas, 3);
    assert.equal(bigContainer.image, 'docker.io/istio/custom:2.0');
    assert.deepEqual(bigContainer.args, ['--log-level=debug', '--extra=from-pilot']);
  });

  it('does not leak one render’s values into the next', async () => {
    await profiledDeployment({ profile: 'big' });
    assert.equal((await profiledDeployment({})).spec.replicas, 1);
  });
});
