// The render cache: what one process rendered, the next finds on disk; an entry is tied to its engine build;
// callers get copies; a directory that cannot be written leaves a working memory cache.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderCache } from '../../../src/artifacts/render-cache.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('renderCache', () => {
  it('keeps an entry for a later process, per engine build, and hands out copies', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'meshop-render-cache-')), '.renders');
    renderCache(dir, () => 'engine-a').set('input', [cm('a')]);
    // GIVEN a fresh cache over the same directory (a new process)
    const later = renderCache(dir, () => 'engine-a');
    const hit = later.get('input');
    assert.deepEqual(hit, [cm('a')]);
    // THEN a caller that changes its copy changes nothing cached
    const [first] = hit;
    if (first) first.metadata.name = 'changed';
    assert.equal(later.get('input')?.[0]?.metadata.name, 'a');
    // AND another engine build does not see the entry
    assert.equal(renderCache(dir, () => 'engine-b').get('input'), undefined);
    assert.equal(readdirSync(dir).length, 1);
    rmSync(join(dir, '..'), { recursive: true });
  });

  it('works from memory when its directory cannot be written', () => {
    // (a file where the directory should be: unwritable even for root, unlike a mode bit)
    const parent = mkdtempSync(join(tmpdir(), 'meshop-render-cache-ro-'));
    writeFileSync(join(parent, 'blocked'), '');
    const cache = renderCache(join(parent, 'blocked', '.renders'), () => 'engine');
    cache.set('input', [cm('a')]);
    assert.deepEqual(cache.get('input'), [cm('a')]);
    assert.deepEqual(readdirSync(parent), ['blocked']);
    rmSync(parent, { recursive: true });
  });
});
