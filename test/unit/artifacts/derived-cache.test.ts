// Values derived from a release's artifacts are kept by key on disk, whole (shared nodes and cycles included), and
// a directory that cannot be written costs only the disk copy.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { derivedCache } from '../../../src/artifacts/derived-cache.ts';

interface Node {
  name: string;
  children: Node[];
}

function graph(): { root: Node; shared: Node } {
  const shared: Node = { name: 'shared', children: [] };
  const root: Node = { name: 'root', children: [shared, shared] };
  shared.children.push(root);
  return { root, shared };
}

describe('derived cache', () => {
  it('gives a new process the value a former one derived, with its shared nodes and cycles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-derived-'));
    let derivations = 0;
    const derive = () => {
      derivations += 1;
      return graph();
    };
    derivedCache(dir).get('g', 'k1', derive);
    const again = derivedCache(dir).get('g', 'k1', derive);
    assert.equal(derivations, 1);
    assert.deepStrictEqual(again, graph());
    assert.equal(again.root.children[0], again.root.children[1], 'a shared node stays one node');
    assert.equal(again.shared.children[0], again.root, 'a cycle stays a cycle');
    rmSync(dir, { recursive: true });
  });

  it('derives again under another key and keeps both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-derived-'));
    const cache = derivedCache(dir);
    assert.equal(
      cache.get('n', 'a', () => 1),
      1,
    );
    assert.equal(
      cache.get('n', 'b', () => 2),
      2,
    );
    assert.equal(
      derivedCache(dir).get('n', 'a', () => 3),
      1,
    );
    assert.equal(readdirSync(dir).length, 2);
    rmSync(dir, { recursive: true });
  });

  it('keeps the value in memory when the directory cannot be written', () => {
    // A directory under a file cannot be made, even by root (the tests run as root).
    const parent = mkdtempSync(join(tmpdir(), 'meshop-derived-'));
    writeFileSync(join(parent, 'file'), '');
    const cache = derivedCache(join(parent, 'file', 'sub'));
    let derivations = 0;
    const derive = () => ++derivations;
    assert.equal(cache.get('n', 'a', derive), 1);
    assert.equal(cache.get('n', 'a', derive), 1);
    assert.deepEqual(readdirSync(parent), ['file']);
    rmSync(parent, { recursive: true });
  });
});
