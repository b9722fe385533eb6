// The IstioOperator path language: every segment form, reading, writing (copy-on-write) and deleting, and errors
// that name the path and the segment at fault.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PathError, SegmentKind, deletePath, getPath, parsePath, setPath } from '../../../src/tree/index.ts';
import { container, deployment, frozenObject } from './tree-builders.ts';

const discovery = 'spec.template.spec.containers.[name:discovery]';

function istiod() {
  return frozenObject(
    deployment(
      container('discovery', {
        args: ['discovery', '--monitoringAddr=:15014', '--keepaliveMaxServerConnectionAge', '30m'],
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'REVISION', value: 'default' }],
        securityContext: { runAsNonRoot: true },
      }),
      container('sidecar'),
    ),
  );
}

/** Asserts that `fn` throws a PathError for `segment`, with a message matching `reason`. */
function assertPathError(fn: () => unknown, segment: string, reason: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PathError, `expected a PathError, got ${String(err)}`);
    assert.equal(err.segment, segment);
    assert.match(err.message, reason);
    assert.match(err.message, new RegExp(`^path "${err.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    return true;
  });
}

describe('parsePath', () => {
  const cases: [string, string, unknown[]][] = [
    ['dotted keys', 'a.b.c', [{ key: 'a' }, { key: 'b' }, { key: 'c' }]],
    ['index as its own segment', 'a.[0].b', [{ key: 'a' }, { index: 0 }, { key: 'b' }]],
    ['index glued to a key', 'a[1]', [{ key: 'a' }, { index: 1 }]],
    [
      'several selectors in a row',
      'a[0][name:x]',
      [{ key: 'a' }, { index: 0 }, { field: 'name', value: 'x' }],
    ],
    ['key:value selector', 'c.[name:discovery]', [{ key: 'c' }, { field: 'name', value: 'discovery' }]],
    ['scalar selector with colon', 'args.[:30m]', [{ key: 'args' }, { value: '30m' }]],
    ['scalar selector without colon', 'args.[30m]', [{ key: 'args' }, { value: '30m' }]],
    ['append index', 'a.[-1]', [{ key: 'a' }, { index: -1 }]],
    [
      'escaped dot in a key',
      'podAnnotations.prometheus\\.io/scrape',
      [{ key: 'podAnnotations' }, { key: 'prometheus.io/scrape' }],
    ],
    ['escaped dots in a selector', 'w.[name:a\\.b\\.io]', [{ key: 'w' }, { field: 'name', value: 'a.b.io' }]],
    [
      'unescaped dot inside brackets',
      'w.[name:a.b.io].x',
      [{ key: 'w' }, { field: 'name', value: 'a.b.io' }, { key: 'x' }],
    ],
    ['colon in a selector value', 'args.[:--addr=:15014]', [{ key: 'args' }, { value: '--addr=:15014' }]],
  ];
  for (const [name, path, expected] of cases) {
    it(`reads ${name}: ${path}`, () => {
      const segments = parsePath(path).map(({ kind, text, ...rest }) => {
        assert.ok(Object.values(SegmentKind).includes(kind));
        assert.ok(text.length > 0);
        return rest;
      });
      assert.deepEqual(segments, expected);
    });
  }

  const bad: [string, string, RegExp][] = [
    ['', '', /empty/],
    ['a..b', '', /empty segment/],
    ['.a', '', /empty segment/],
    ['a.', '', /empty segment/],
    ['a.[0', '[0', /missing "\]"/],
    ['a.0]', '0]', /without a matching "\["/],
    ['a.[]', '[]', /empty brackets/],
    ['a.[-2]', '[-2]', /cannot be negative/],
    ['a.[name:]', '[name:]', /needs a value/],
    ['a.[0]x', '[0]x', /unexpected "x"/],
    ['a\\', 'a\\', /lone backslash/],
  ];
  for (const [path, segment, reason] of bad) {
    it(`refuses ${JSON.stringify(path)}, naming the segment`, () => {
      assertPathError(() => parsePath(path), segment, reason);
    });
  }
});

describe('getPath', () => {
  it('reads through keys, indexes and both selector forms', () => {
    const tree = istiod();
    assert.equal(getPath(tree, `${discovery}.args[1]`), '--monitoringAddr=:15014');
    assert.equal(getPath(tree, `${discovery}.args.[:30m]`), '30m');
    assert.equal(getPath(tree, `${discovery}.ports.[containerPort:8080].protocol`), 'TCP');
    assert.equal(getPath(tree, 'spec.template.spec.containers.[1].name'), 'sidecar');
  });

  it('returns undefined for anything missing or of another type', () => {
    const tree = istiod();
    for (const path of [
      'spec.nope',
      `${discovery}.args[9]`,
      'spec.template.spec.containers.[name:x]',
      'kind.x',
      'spec[0]',
    ]) {
      assert.equal(getPath(tree, path), undefined, path);
    }
  });

  it('still throws for a path that is not well formed', () => {
    assert.throws(() => getPath({}, 'a..b'), PathError);
  });
});

describe('setPath', () => {
  it('replaces a list element picked by index, leaving the input as it was', () => {
    // GIVEN istiod's Deployment (frozen)
    const tree = istiod();
    // WHEN an overlay patches args[1] of the discovery container
    const patched = setPath(tree, `${discovery}.args[1]`, '--monitoringAddr=:9999');
    // THEN the copy has the new arg and the input the old one
    assert.equal(getPath(patched, `${discovery}.args[1]`), '--monitoringAddr=:9999');
    assert.equal(getPath(tree, `${discovery}.args[1]`), '--monitoringAddr=:15014');
  });

  it('replaces a scalar list element picked by value', () => {
    const patched = setPath(istiod(), `${discovery}.args.[30m]`, '60m');
    assert.equal(getPath(patched, `${discovery}.args[3]`), '60m');
  });

  it('writes inside a map list element picked by key:value, comparing numbers as text', () => {
    const patched = setPath(istiod(), `${discovery}.ports.[containerPort:8080].containerPort`, 1234);
    assert.deepEqual(getPath(patched, `${discovery}.ports`), [{ containerPort: 1234, protocol: 'TCP' }]);
  });

  it('replaces a whole element when the selector is the last segment', () => {
    const patched = setPath(istiod(), `${discovery}.env.[name:REVISION]`, {
      name: 'REVISION',
      value: 'canary',
    });
    assert.deepEqual(getPath(patched, `${discovery}.env`), [{ name: 'REVISION', value: 'canary' }]);
  });

  it('appends for an index past the end, and for -1', () => {
    const tree = frozenObject({ list: ['a'] });
    assert.deepEqual(setPath(tree, 'list[5]', 'b'), { list: ['a', 'b'] });
    assert.deepEqual(setPath(tree, 'list.[-1]', 'b'), { list: ['a', 'b'] });
    assert.deepEqual(setPath(tree, 'list[1].name', 'b'), { list: ['a', { name: 'b' }] });
  });

  it('adds a new last key to an existing map', () => {
    const patched = setPath(istiod(), `${discovery}.securityContext.runAsUser`, 1337);
    assert.deepEqual(getPath(patched, `${discovery}.securityContext`), {
      runAsNonRoot: true,
      runAsUser: 1337,
    });
  });

  it('refuses a missing intermediate node unless asked to create it', () => {
    // GIVEN a tree without spec.a
    const tree = frozenObject({ spec: {} });
    // WHEN a path runs through it, THEN by default the missing segment is named
    assertPathError(() => setPath(tree, 'spec.a.b.[0]', 1), 'a', /does not exist/);
    // AND with createMissing the maps and lists are made as the next segment needs them
    assert.deepEqual(setPath(tree, 'spec.a.b.[0]', 1, { createMissing: true }), { spec: { a: { b: [1] } } });
  });

  it('fills a null intermediate node when creating', () => {
    assert.deepEqual(setPath({ a: null }, 'a.b', 1, { createMissing: true }), { a: { b: 1 } });
  });

  it('names the failing segment when the tree does not fit the path', () => {
    const tree = istiod();
    assertPathError(
      () => setPath(tree, 'spec.template.spec.containers.[name:nope].image', 'x'),
      '[name:nope]',
      /no list element matches/,
    );
    assertPathError(() => setPath(tree, 'spec.template.[0]', 'x'), '[0]', /expected a list, found a map/);
    assertPathError(() => setPath(tree, 'kind.x', 1), 'x', /expected a map, found the string "Deployment"/);
    assertPathError(
      () => setPath(tree, `${discovery}.args.[:nope]`, 1),
      '[:nope]',
      /no list element matches/,
    );
  });

  it('keeps a __proto__ key as data', () => {
    const patched = setPath({}, '__proto__.polluted', true, { createMissing: true });
    assert.equal(Object.getPrototypeOf(patched), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('deletePath', () => {
  it('removes a list element picked by key:value', () => {
    const patched = deletePath(istiod(), `${discovery}.env.[name:REVISION]`);
    assert.deepEqual(getPath(patched, `${discovery}.env`), []);
  });

  it('removes a map key', () => {
    const patched = deletePath(istiod(), `${discovery}.securityContext`);
    assert.equal(getPath(patched, `${discovery}.securityContext`), undefined);
    assert.ok(getPath(istiod(), `${discovery}.securityContext`) !== undefined);
  });

  it('removes list elements by index and by scalar value', () => {
    const tree = frozenObject({ args: ['a', 'b', 'c'] });
    assert.deepEqual(deletePath(tree, 'args[0]'), { args: ['b', 'c'] });
    assert.deepEqual(deletePath(tree, 'args.[:b]'), { args: ['a', 'c'] });
  });

  it('does nothing for a map key that is already absent', () => {
    assert.deepEqual(deletePath({ a: { b: 1 } }, 'a.x.y'), { a: { b: 1 } });
    assert.deepEqual(deletePath({ a: null }, 'a.b'), { a: null });
  });

  it('refuses selectors that match nothing and indexes past the end', () => {
    const tree = frozenObject({ args: ['a'] });
    assertPathError(() => deletePath(tree, 'args.[:z]'), '[:z]', /no list element matches/);
    assertPathError(() => deletePath(tree, 'args[3]'), '[3]', /past the end/);
  });
});
