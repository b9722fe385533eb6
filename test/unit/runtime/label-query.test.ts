// Label selectors in their string form, evaluated as the API server does: the cached client answers a list from
// an informer's cache only with the result the API server would give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesLabelQuery, narrowerThan, parseLabelQuery } from '../../../src/runtime/label-query.ts';

const selects = (selector: string, labels: Record<string, string>): boolean =>
  matchesLabelQuery(parseLabelQuery(selector), labels);

describe('label queries', () => {
  it('reads every operator of the string form', () => {
    assert.deepEqual(parseLabelQuery('a=1,b==2, c!=3,d in (x, y),e notin (z),f,!g'), [
      { key: 'a', op: 'in', values: ['1'] },
      { key: 'b', op: 'in', values: ['2'] },
      { key: 'c', op: 'notin', values: ['3'] },
      { key: 'd', op: 'in', values: ['x', 'y'] },
      { key: 'e', op: 'notin', values: ['z'] },
      { key: 'f', op: 'exists' },
      { key: 'g', op: '!exists' },
    ]);
    assert.deepEqual(parseLabelQuery(''), []);
    assert.throws(() => parseLabelQuery('a b'), /unreadable label selector term "a b"/);
  });

  it('selects as the API server does', () => {
    assert.ok(selects('', {}));
    assert.ok(selects('app=web,tier in (a,b)', { app: 'web', tier: 'b' }));
    assert.ok(!selects('app=web,tier in (a,b)', { app: 'web' }));
    assert.ok(selects('app!=web', {}), '!= matches an absent label');
    assert.ok(selects('tier notin (a)', { tier: 'b' }));
    assert.ok(!selects('tier notin (a)', { tier: 'a' }));
    assert.ok(selects('canary', { canary: '' }));
    assert.ok(!selects('!canary', { canary: '' }));
    assert.ok(
      selects('meshop.dev/mesh=m,app.kubernetes.io/managed-by=meshop', {
        'meshop.dev/mesh': 'm',
        'app.kubernetes.io/managed-by': 'meshop',
      }),
    );
  });

  it("knows a query is within a cache's selector only when it repeats each of its terms", () => {
    const cache = parseLabelQuery('app.kubernetes.io/managed-by=meshop');
    assert.ok(narrowerThan(parseLabelQuery('app.kubernetes.io/managed-by=meshop,meshop.dev/mesh=m'), cache));
    assert.ok(!narrowerThan(parseLabelQuery('meshop.dev/mesh=m'), cache), 'may select unlabelled objects');
    assert.ok(!narrowerThan(parseLabelQuery('app.kubernetes.io/managed-by!=meshop'), cache));
    assert.ok(narrowerThan(parseLabelQuery('x in (b,a)'), parseLabelQuery('x in (a,b)')));
    assert.ok(narrowerThan(parseLabelQuery('anything'), []), 'an unselective cache holds everything');
  });
});
