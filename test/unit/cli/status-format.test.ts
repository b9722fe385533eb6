// `meshop status` text from a status fixture: the summary table, then per mesh what needs attention, its
// revisions and what uses them, tags, components (messages only when unhealthy), gateways apart, migration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusDocument } from '../../../src/cli/commands/status-command.ts';
import { formatStatus } from '../../../src/cli/view/status-format.ts';
import { formatTable } from '../../../src/cli/view/text-table.ts';
import { component, condition, mesh, revision } from './mesh-fixtures.ts';

const upgrading = mesh(
  'prod',
  {
    version: '1.31.0',
    profile: 'demo',
    updateStrategy: { type: 'RevisionBased' },
    revisionTags: { 'prod-stable': 'active', canary: 'prod-1-31-0' },
  },
  {
    conditions: [
      condition('Ready', 'False', 'ComponentsNotReady', 'pilot: istiod not ready'),
      condition('Reconciled', 'True', 'Applied'),
      condition('Degraded', 'False', 'Healthy'),
      condition('Upgrading', 'True', 'Migrating', 'moving workloads'),
    ],
    activeRevision: 'prod-1-31-0',
    revisionsReady: '1/2',
    revisions: [
      revision('prod-1-30-8', '1.30.8', { namespaces: ['a', 'b', 'c', 'd'], pods: 12 }),
      {
        ...revision('prod-1-31-0', '1.31.0', { tags: ['canary', 'prod-stable'], pods: 0 }),
        ready: false,
      },
    ],
    tags: { 'prod-stable': 'prod-1-30-8', canary: 'prod-1-31-0' },
    components: [
      component('base', 'Healthy'),
      component('pilot', 'Reconciling', { revision: 'prod-1-31-0', message: 'istiod: 0/1 ready' }),
      component('pilot', 'Healthy', { revision: 'prod-1-30-8', message: 'stale detail' }),
      component('istio-ingressgateway', 'Healthy', { revision: 'prod-1-31-0' }),
    ],
    migration: {
      from: ['prod-1-30-8'],
      to: 'prod-1-31-0',
      done: 3,
      total: 10,
      current: ['Deployment a/web'],
      blockedBy: 'Deployment b/api',
      manualRestartRequired: ['a/debug'],
    },
  },
);

describe('formatTable', () => {
  it('pads columns like kubectl and shows empty cells as "-"', () => {
    assert.equal(
      formatTable(
        ['NAME', 'N'],
        [
          ['a', 1],
          ['long-name', undefined],
        ],
        '  ',
      ),
      '  NAME        N\n  a           1\n  long-name   -\n',
    );
  });
});

describe('formatStatus', () => {
  it('says so when there is no MeshConfig', () => {
    assert.equal(formatStatus([], { wide: false }), 'No MeshConfig found.\n');
  });

  it('prints a summary line per mesh, defaults filled in', () => {
    const text = formatStatus([upgrading, mesh('fresh')], { wide: false });
    const summary = text.split('\n\n')[0];
    assert.equal(
      summary,
      [
        'NAME    VERSION            PROFILE   READY     ACTIVE REVISION   REVISIONS',
        'prod    1.31.0             demo      False     prod-1-31-0       1/2',
        'fresh   1.31.0 (default)   default   Unknown   -                 -',
      ].join('\n'),
    );
    assert.match(text, /MeshConfig fresh:\n {2}no status yet: the operator has not reconciled it/);
  });

  it('details revisions, tags, components, gateways and migration of a mesh', () => {
    const details = formatStatus([upgrading], { wide: false }).split('\n\n')[1];
    assert.equal(
      details,
      [
        'MeshConfig prod:',
        '  Ready=False (ComponentsNotReady): pilot: istiod not ready',
        '  Upgrading=True (Migrating): moving workloads',
        '  Revisions:',
        '    NAME          VERSION   READY   IN USE   NAMESPACES   PODS   TAGS',
        '    prod-1-30-8   1.30.8    True    True     a,b,c,+1     12     -',
        '    prod-1-31-0   1.31.0    False   True     -            0      canary,prod-stable',
        '  Tags:',
        '    TAG           SPEC                   APPLIED',
        '    canary        prod-1-31-0            prod-1-31-0',
        '    prod-stable   active (prod-1-31-0)   prod-1-30-8',
        '  Components:',
        '    NAME    REVISION      PHASE         MESSAGE',
        '    base    -             Healthy       -',
        '    pilot   prod-1-31-0   Reconciling   istiod: 0/1 ready',
        '    pilot   prod-1-30-8   Healthy       -',
        '  Gateways:',
        '    NAME                   REVISION      PHASE     MESSAGE',
        '    istio-ingressgateway   prod-1-31-0   Healthy   -',
        '  Migration: prod-1-30-8 -> prod-1-31-0: 3/10 workloads restarted',
        '    Current batch: Deployment a/web',
        '    Blocked by: Deployment b/api (nothing more is restarted)',
        '    Manual restart required: a/debug',
        '',
      ].join('\n'),
    );
  });

  it('wide adds columns, every condition and every message, and removes nothing', () => {
    const text = formatStatus([upgrading], { wide: true });
    assert.match(
      text,
      /^NAME .* REVISIONS {3}NAMESPACE {6}STRATEGY {8}RECONCILED {3}DEGRADED {3}UPGRADING\n/,
    );
    assert.match(text, /prod .* 1\/2 {9}istio-system {3}RevisionBased {3}True {9}False {6}True\n/);
    assert.match(text, / {4}Reconciled {3}True {5}Applied/);
    assert.match(text, /prod-1-30-8 .* a,b,c,d .* Referenced/);
    assert.match(text, /pilot {3}prod-1-30-8 {3}Healthy {7}stale detail/);
    assert.match(text, /Migration: prod-1-30-8 -> prod-1-31-0: 3\/10/);
  });
});

describe('statusDocument (-o yaml|json)', () => {
  const stored = { ...mesh('a'), metadata: { name: 'a', managedFields: [{ manager: 'x' }] } };

  it('is a v1 List of the objects, without managedFields', () => {
    assert.deepEqual(statusDocument([stored], false), {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ ...mesh('a'), metadata: { name: 'a' } }],
    });
  });

  it('is the object itself with --name', () => {
    assert.deepEqual(statusDocument([stored], true), { ...mesh('a'), metadata: { name: 'a' } });
  });
});
