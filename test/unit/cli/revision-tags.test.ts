// `meshop tag`: rows that join spec, status and the live webhooks, and the rules `tag set` enforces before it
// writes anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TagState,
  formatTagRows,
  knownRevisions,
  tagRows,
  tagSetProblem,
  tagWebhookOf,
} from '../../../src/cli/revision-tags.ts';
import type { TagWebhook } from '../../../src/cli/revision-tags.ts';
import { mesh, revision } from './mesh-fixtures.ts';

const prod = mesh(
  'prod',
  {
    version: '1.31.0',
    updateStrategy: { type: 'RevisionBased' },
    revisionTags: { stable: 'active', canary: 'prod-1-30-8' },
  },
  {
    activeRevision: 'prod-1-31-0',
    revisions: [revision('prod-1-30-8', '1.30.8'), revision('prod-1-31-0', '1.31.0')],
    tags: { stable: 'prod-1-31-0', old: 'prod-1-30-8' },
  },
);

const hook = (tag: string, rev: string, meshName = 'prod'): TagWebhook => ({
  name: `istio-revision-tag-${tag}`,
  tag,
  revision: rev,
  mesh: meshName,
});

describe('tagWebhookOf', () => {
  it('reads tag, revision and owning mesh from the labels; unrevisioned means "default"', () => {
    const obj = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'istio-revision-tag-x', labels: { 'istio.io/tag': 'x' } },
    };
    assert.deepEqual(tagWebhookOf(obj), {
      name: 'istio-revision-tag-x',
      tag: 'x',
      revision: 'default',
      mesh: '',
    });
  });
});

describe('tagRows', () => {
  it('joins spec, status and live webhooks, resolving "active"', () => {
    const rows = tagRows(
      [prod],
      [hook('stable', 'prod-1-31-0'), hook('canary', 'prod-1-31-0'), hook('x', 'r', '')],
    );
    assert.deepEqual(
      rows.map((r) => [r.mesh, r.tag, r.spec, r.applied, r.webhook, r.state]),
      [
        ['prod', 'canary', 'prod-1-30-8', '', 'prod-1-31-0', TagState.Pending],
        ['prod', 'old', '', 'prod-1-30-8', '', TagState.NotInSpec],
        ['prod', 'stable', 'active (prod-1-31-0)', 'prod-1-31-0', 'prod-1-31-0', TagState.Applied],
        ['', 'x', '', '', 'r', TagState.NotInSpec],
      ],
    );
  });

  it('formats as a table, or one line when there are none', () => {
    assert.equal(formatTagRows([]), 'No revision tags.\n');
    assert.equal(
      formatTagRows(tagRows([prod], [hook('stable', 'prod-1-31-0')])),
      [
        'MESH   TAG      SPEC                   APPLIED       WEBHOOK       STATE',
        'prod   canary   prod-1-30-8            -             -             Pending',
        'prod   old      -                      prod-1-30-8   -             NotInSpec',
        'prod   stable   active (prod-1-31-0)   prod-1-31-0   prod-1-31-0   Applied',
        '',
      ].join('\n'),
    );
  });
});

describe('tagSetProblem', () => {
  it('knows the revisions of a mesh: the active one, the desired one before any status, and the status list', () => {
    assert.deepEqual(knownRevisions(prod), ['prod-1-30-8', 'prod-1-31-0']);
    assert.deepEqual(
      knownRevisions(mesh('new', { updateStrategy: { type: 'RevisionBased' }, version: '1.30.8' })),
      ['new-1-30-8'],
    );
    assert.deepEqual(knownRevisions(mesh('plain')), ['default']);
  });

  it('allows a tag pointing at a revision of the mesh, or at "active"', () => {
    assert.equal(tagSetProblem(prod, 'canary', 'prod-1-31-0'), undefined);
    assert.equal(tagSetProblem(prod, 'prod-stable', 'active'), undefined);
  });

  it('refuses a tag named like a revision of the mesh', () => {
    assert.match(
      tagSetProblem(prod, 'prod-1-30-8', 'prod-1-31-0') ?? '',
      /has the name of a revision of MeshConfig prod/,
    );
    assert.match(tagSetProblem(mesh('plain'), 'default', 'active') ?? '', /has the name of a revision/);
  });

  it('allows the default tag beside an old unrevisioned control plane (the canary away from it)', () => {
    const moving = mesh(
      'm',
      { version: '1.31.0', updateStrategy: { type: 'RevisionBased' } },
      { revisions: [revision('default', '1.30.8'), revision('m-1-31-0', '1.31.0')] },
    );
    assert.equal(tagSetProblem(moving, 'default', 'm-1-31-0'), undefined);
  });

  it('refuses an unknown revision and a name that is not a label', () => {
    assert.match(
      tagSetProblem(prod, 'canary', 'nope') ?? '',
      /not a revision of MeshConfig prod \(it has: prod-1-30-8, prod-1-31-0/,
    );
    assert.match(tagSetProblem(prod, 'Canary!', 'active') ?? '', /not a DNS-1123 label/);
  });
});
