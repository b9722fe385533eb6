// Validation's field paths, read back so the converter can remove the field they name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldPath, parseFieldPath } from '../../../src/convert/field-path.ts';

describe('parseFieldPath', () => {
  const cases: [string, (string | number)[]][] = [
    ['spec', ['spec']],
    ['spec.components.ingressGateways[1].name', ['spec', 'components', 'ingressGateways', 1, 'name']],
    [
      'metadata.annotations["install.istio.io/ignoreReconcile"]',
      ['metadata', 'annotations', 'install.istio.io/ignoreReconcile'],
    ],
    ['spec.values["a \\"quoted\\" key"][0]', ['spec', 'values', 'a "quoted" key', 0]],
    ['spec.revisionTags.prod-1', ['spec', 'revisionTags', 'prod-1']],
  ];
  for (const [path, segments] of cases) {
    it(`${path} reads as its segments and writes back unchanged`, () => {
      assert.deepEqual(parseFieldPath(path), segments);
      assert.equal(formatFieldPath(segments), path);
    });
  }

  it('text validation never writes is refused', () => {
    assert.throws(() => parseFieldPath('spec..x'), /cannot read field path "spec\.\.x"/);
  });
});
