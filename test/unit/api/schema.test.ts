// The schema builders: one definition gives the OpenAPI node, the TypeScript type (checked by tsc on this
// file) and the offline checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MeshConfig, MeshConfigSpec } from '../../../src/api/index.ts';
import * as s from '../../../src/api/schema/index.ts';

const evenLength: s.Invariant<string[]> = {
  rule: 'self.size() % 2 == 0',
  message: 'must have an even number of items',
  check: (value, path) => (value.length % 2 === 0 ? [] : [{ path, message: 'odd' }]),
};

const widget = s.object(
  'A widget.',
  {
    name: s.string('Name.', { maxLength: 8 }),
    size: s.integer('Size.', { minimum: 1 }),
    mode: s.stringEnum(['Fast', 'Slow'], 'Mode.'),
    port: s.intOrString('Port.'),
    tags: s.list('Tags.', s.string('Tag.'), { rules: [evenLength] }),
    labels: s.map('Labels.', s.string('Value.')),
    extra: s.freeForm('Anything.'),
  },
  { required: ['name'] },
);
type Widget = s.Infer<typeof widget>;

describe('schema builders', () => {
  it('build plain OpenAPI nodes', () => {
    assert.deepEqual(s.stringEnum(['A', 'B'], 'Letters.'), {
      type: 'string',
      description: 'Letters.',
      enum: ['A', 'B'],
    });
    assert.deepEqual(s.map('M.', s.boolean('B.')), {
      type: 'object',
      description: 'M.',
      additionalProperties: { type: 'boolean', description: 'B.' },
    });
    assert.deepEqual(widget.required, ['name']);
    assert.equal(widget.properties?.port?.['x-kubernetes-int-or-string'], true);
  });

  it('derive the TypeScript type: required and optional fields, literal unions, int-or-string', () => {
    const ok: Widget = { name: 'w', mode: 'Fast', port: 'http', tags: ['a', 'b'], labels: { a: 'b' } };
    // @ts-expect-error name is required
    const noName: Widget = { size: 1 };
    // @ts-expect-error mode is a union of the enum's literals
    const badMode: Widget = { name: 'w', mode: 'Medium' };
    // @ts-expect-error exactOptionalPropertyTypes: unset is not undefined
    const undefinedSize: Widget = { name: 'w', size: undefined };
    assert.equal([ok, noName, badMode, undefinedSize].length, 4);
  });

  it('give the API types the fields of an IstioOperator spec', () => {
    const spec: MeshConfigSpec = {
      profile: 'demo',
      tag: 1,
      components: {
        ingressGateways: [{ name: 'gw', label: { istio: 'gw' }, k8s: { imagePullPolicy: 'Always' } }],
      },
      updateStrategy: { type: 'RevisionBased' },
    };
    // @ts-expect-error a gateway needs a name
    const unnamed: MeshConfigSpec = { components: { egressGateways: [{ enabled: true }] } };
    const mesh: MeshConfig = {
      apiVersion: 'meshop.dev/v1alpha1',
      kind: 'MeshConfig',
      metadata: { name: 'm' },
      spec,
    };
    assert.equal([unnamed, mesh].length, 2);
  });

  it('check shape: types, required fields, unknown fields, enums, limits', () => {
    const errors = s.checkShape(
      widget,
      { size: 0, mode: 'Medium', port: true, tags: 'a', colour: 'red' },
      'w',
    );
    assert.deepEqual(
      errors.map((e) => `${e.path}: ${e.message}`),
      [
        'w.name: required field is missing',
        'w.size: must be at least 1, not 0',
        'w.mode: must be one of Fast, Slow, not "Medium"',
        'w.port: must be an integer or a string, not boolean true',
        'w.tags: must be a list, not string "a"',
        'w.colour: unknown field',
      ],
    );
  });

  it('run invariants only on well-shaped values', () => {
    assert.deepEqual(s.checkInvariants(widget, { name: 'w', tags: ['a'] }, 'w'), [
      { path: 'w.tags', message: 'odd' },
    ]);
    assert.deepEqual(s.checkInvariants(widget, { name: 'w', tags: ['a', 1] }, 'w'), []);
  });

  it('turn into a CRD schema: CEL rules kept, offline checks and offline-only rules dropped', () => {
    const offlineOnly: s.Invariant<string> = { message: 'offline', check: () => [] };
    const node = s.object('O.', {
      tags: widget.properties!.tags!,
      id: s.string('Id.', { rules: [offlineOnly] }),
    });
    assert.deepEqual(s.toCrdSchema(node), {
      type: 'object',
      description: 'O.',
      properties: {
        tags: {
          type: 'array',
          description: 'Tags.',
          items: { type: 'string', description: 'Tag.' },
          'x-kubernetes-validations': [
            { rule: 'self.size() % 2 == 0', message: 'must have an even number of items' },
          ],
        },
        id: { type: 'string', description: 'Id.' },
      },
    });
  });

  it('suggest the field a typo meant', () => {
    assert.equal(s.closestName('compnents', ['components', 'values']), 'components');
    assert.equal(s.closestName('Revision', ['revision']), 'revision');
    assert.equal(s.closestName('zzz', ['components', 'values']), undefined);
  });
});
