// The function library and Helm's output rules: sprig plus Helm's own functions, no "<no value>", `{}` for
// empty maps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { outputOf, renderDir, testdata } from './engine-fixture.ts';

async function valuesData(values = {}): Promise<Record<string, string>> {
  const result = await renderDir(testdata('basic'), values);
  const output = outputOf(result, 'values.gotmpl');
  assert.doesNotMatch(output, /<no value>/);
  return (parse(output) as { data: Record<string, string> }).data;
}

describe('template functions and output rules', () => {
  it('prints a missing value as an empty string, never "<no value>"', async () => {
    const data = await valuesData();
    assert.equal(data.missing, '');
    assert.equal(data.missingNested, '');
  });

  it('prints an empty map through toYaml as {}', async () => {
    assert.equal((await valuesData()).empty, '{}');
  });

  it('serialises and parses YAML and JSON as Helm does', async () => {
    const data = await valuesData();
    assert.equal(data.nested, 'deeper:\n  a: 1\nkeep: chart\nremove: chart\nreplace: chart\n');
    assert.equal(data.json, '["a","b"]');
    // fromYamlArray "[x, y]": Helm's YAML reader follows YAML 1.1, where a bare `y` is the boolean true.
    assert.deepEqual([data.parsed, data.parsedJson, data.array], ['1', '2', 'x,true']);
  });

  it('evaluates tpl against the given context', async () => {
    assert.equal((await valuesData()).tpl, 'hello from demo');
  });

  it('answers lookup with an empty map, as `helm template` does', async () => {
    assert.equal((await valuesData()).lookup, '0');
  });

  it('has sprig functions', async () => {
    assert.equal((await valuesData({ greeting: 'hi' })).upper, 'HI');
  });
});
