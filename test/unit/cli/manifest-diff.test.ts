// `meshop manifest diff`: the object-level diff (matching, key order, versions, the text), and the command as a
// process on two files, with diff(1)'s exit codes: 0 and no output when equal, 1 and the diff when not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withoutServerFields } from '../../../src/cli/manifest-cluster.ts';
import {
  diffObjects,
  diffSummary,
  formatObjectDiff,
  hasDifferences,
} from '../../../src/cli/view/object-diff.ts';
import type { KubeObject } from '../../../src/kube/index.ts';

const bin = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));
const labels = { a: 'a.yaml', b: 'b.yaml' };

function cm(name: string, data: Record<string, string>, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data };
}

describe('diffObjects', () => {
  it('sorts objects into only-in-A, only-in-B, changed and unchanged', () => {
    const d = diffObjects(
      [cm('same', { k: 'v' }), cm('gone', {}), cm('edited', { k: '1', keep: 'x' })],
      [cm('edited', { k: '2', keep: 'x' }), cm('same', { k: 'v' }), cm('new', {})],
      labels,
    );
    assert.deepEqual(d.onlyInA, ['ConfigMap ns/gone']);
    assert.deepEqual(d.onlyInB, ['ConfigMap ns/new']);
    assert.equal(d.unchanged, 1);
    assert.deepEqual(
      d.changed.map((c) => c.ref),
      ['ConfigMap ns/edited'],
    );
    assert.equal(
      d.changed[0]?.patch,
      [
        '--- a.yaml: ConfigMap ns/edited',
        '+++ b.yaml: ConfigMap ns/edited',
        '@@ -4,5 +4,5 @@',
        '   name: edited',
        '   namespace: ns',
        ' data:',
        '-  k: "1"',
        '+  k: "2"',
        '   keep: x',
        '',
      ].join('\n'),
    );
    assert.equal(hasDifferences(d), true);
    assert.equal(diffSummary(d, labels), '1 only in a.yaml, 1 only in b.yaml, 1 changed, 1 unchanged');
  });

  it('ignores the order keys were built in', () => {
    const a: KubeObject = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { namespace: 'ns', name: 'x' } };
    const b: KubeObject = { metadata: { name: 'x', namespace: 'ns' }, apiVersion: 'v1', kind: 'ConfigMap' };
    const d = diffObjects([a], [b], labels);
    assert.equal(hasDifferences(d), false);
    assert.equal(formatObjectDiff(d, labels), '');
  });

  it('matches an object across API versions of its group, showing the version change', () => {
    const hpa = (apiVersion: string): KubeObject => ({
      apiVersion,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'ns' },
    });
    const d = diffObjects([hpa('autoscaling/v1')], [hpa('autoscaling/v2')], labels);
    assert.deepEqual(d.onlyInA, []);
    assert.match(d.changed[0]?.patch ?? '', /-apiVersion: autoscaling\/v1\n\+apiVersion: autoscaling\/v2/);
  });

  it('formats the lists, then the patches', () => {
    const d = diffObjects([cm('gone', {}), cm('e', { k: '1' })], [cm('e', { k: '2' })], labels);
    const text = formatObjectDiff(d, labels);
    assert.match(
      text,
      /^Only in a\.yaml \(1\):\n {2}ConfigMap ns\/gone\nChanged \(1\):\n--- a\.yaml: ConfigMap ns\/e\n/,
    );
  });
});

describe('withoutServerFields', () => {
  it('drops what the API server writes for its own bookkeeping, and status', () => {
    const live: KubeObject = {
      ...cm('x', {}),
      metadata: {
        name: 'x',
        uid: 'u',
        resourceVersion: '7',
        generation: 2,
        managedFields: [],
        labels: { a: 'b' },
      },
      status: { ready: true },
    };
    assert.deepEqual(withoutServerFields(live), {
      ...cm('x', {}),
      metadata: { name: 'x', labels: { a: 'b' } },
    });
  });
});

describe('meshop manifest diff (process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshop-diff-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, spec: string): string => {
    const path = join(dir, name);
    writeFileSync(
      path,
      `apiVersion: meshop.dev/v1alpha1\nkind: MeshConfig\nmetadata:\n  name: m\nspec:\n${spec}`,
    );
    return path;
  };
  const meshop = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('equal renders: exit 0, no output', () => {
    const a = file('same.yaml', '  profile: minimal\n');
    const r = meshop('manifest', 'diff', a, a);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
  });

  it('different renders: exit 1, the diff on stdout, one summary line on stderr', () => {
    const a = file('a.yaml', '  profile: minimal\n');
    const b = file('b.yaml', '  profile: minimal\n  values:\n    pilot:\n      autoscaleMin: 2\n');
    const r = meshop('manifest', 'diff', a, b);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^Only in .*b\.yaml \(1\):\n {2}PodDisruptionBudget istio-system\/istiod\n/);
    assert.match(
      r.stdout,
      /\+\+\+ .*b\.yaml: HorizontalPodAutoscaler istio-system\/istiod\n[^]*- {2}minReplicas: 1\n\+ {2}minReplicas: 2\n/,
    );
    assert.match(
      r.stderr,
      /^meshop: the manifests differ: 0 only in .*a\.yaml, 1 only in .*b\.yaml, \d+ changed, \d+ unchanged\n$/,
    );
  });

  it('bad input is exit 2 with one line: a missing file, two files with --cluster, one file without', () => {
    const a = file('ok.yaml', '  profile: minimal\n');
    const missing = meshop('manifest', 'diff', a, join(dir, 'missing.yaml'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^meshop: cannot read .*missing\.yaml: ENOENT\n$/);
    assert.equal(meshop('manifest', 'diff', a, a, '--cluster').code, 2);
    const one = meshop('manifest', 'diff', a);
    assert.equal(one.code, 2);
    assert.equal(one.stderr, 'meshop: manifest diff needs two files, or one file and --cluster\n');
  });
});
