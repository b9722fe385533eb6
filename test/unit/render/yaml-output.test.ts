// The YAML meshop prints is read back as the same objects by a YAML 1.2 reader and by a YAML 1.1 reader (kubectl,
// Helm and Go's yaml.v2 are 1.1 readers, where an unquoted `on` or `yes` is a boolean).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/index.ts';
import { objectsToYaml, objectToYaml, renderMesh } from '../../../src/render/index.ts';
import { testRelease } from '../../support/render-fixtures.ts';

const readAs = (text: string, version: '1.1' | '1.2'): unknown[] =>
  parseAllDocuments(text, { version }).map((doc) => doc.toJS() as unknown);

const tricky: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'tricky', labels: { a: 'on', b: 'yes', c: 'y', d: 'NO', e: '2024-01-01', f: '010' } },
  data: {
    g: '=',
    h: '<<',
    i: '1.0',
    j: '0x10',
    k: '',
    l: 'two\nlines\n',
    m: ' leading space',
    n: 'null',
    o: '~',
  },
};

describe('YAML output', () => {
  it('reads back as the same object in YAML 1.1 and 1.2', () => {
    const text = objectToYaml(tricky);
    assert.deepEqual(readAs(text, '1.2'), [tricky]);
    assert.deepEqual(readAs(text, '1.1'), [tricky]);
  });

  it('puts apiVersion, kind and metadata (name first) ahead of the rest', () => {
    const text = objectToYaml({
      data: { x: '1' },
      metadata: { labels: { app: 'web' }, name: 'web' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    });
    assert.equal(
      text,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels:\n    app: web\ndata:\n  x: "1"\n',
    );
  });

  it('writes a whole demo render that both readers read back unchanged, long strings unfolded', () => {
    const { release, artifacts } = testRelease();
    const { objects } = renderMesh({ name: 'yaml', spec: { profile: 'demo' } }, release, artifacts);
    const text = objectsToYaml(objects);
    const plain = JSON.parse(JSON.stringify(objects)) as unknown;
    assert.deepEqual(readAs(text, '1.2'), plain);
    assert.deepEqual(readAs(text, '1.1'), plain);
    const longest = Math.max(...text.split('\n').map((line) => line.length));
    assert.ok(longest > 200, `no line was folded (longest line: ${String(longest)} characters)`);
  });
});
