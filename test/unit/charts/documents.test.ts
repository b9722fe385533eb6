// Output shape: one entry per template keyed "<chart>/templates/<file>", documents split on `---`, and the
// manifest list in Helm's install order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDir, testdata } from './engine-fixture.ts';

describe('documents and order', () => {
  it('keys templates by chart name and file, sorted, and keeps templates that render nothing', async () => {
    const result = await renderDir(testdata('basic'));
    assert.deepEqual(
      result.templates.map((t) => t.name),
      ['context', 'empty', 'files', 'many', 'values'].map((n) => `basic/templates/${n}.gotmpl`),
    );
    assert.deepEqual(result.templates.find((t) => t.name.endsWith('empty.gotmpl'))?.documents, []);
  });

  // Helm's separator swallows the blank lines after a `---`, so a `---` that follows an empty document stays at
  // the start of the next one. Reproduced on purpose: the output must equal Helm's.
  it('splits on ---, drops empty documents and keeps comment-only ones, as Helm does', async () => {
    const result = await renderDir(testdata('basic'));
    const many = result.templates.find((t) => t.name.endsWith('many.gotmpl'));
    assert.deepEqual(many?.documents, [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first',
      '---\n# only a comment',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second',
    ]);
  });

  it('orders manifests by Helm’s install order; unknown kinds last, by kind name', async () => {
    const result = await renderDir(testdata('ordering'));
    assert.deepEqual(
      result.manifests.map((m) => m.kind),
      [
        'Namespace',
        'CustomResourceDefinition',
        'Service',
        'Service',
        'Deployment',
        'Gadget',
        'MutatingWebhookConfiguration',
        'Widget',
      ],
    );
    const services = result.manifests.filter((m) => m.kind === 'Service').map((m) => m.template);
    assert.deepEqual(services, ['ordering/templates/c-service.gotmpl', 'ordering/templates/d-crd.gotmpl']);
  });
});
