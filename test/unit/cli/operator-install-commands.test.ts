// The cluster commands where no cluster is needed to check them: `operator init --dry-run` prints exactly the
// installer, flag misuse is a usage error (exit 2, one line), every command's help has examples, and
// --verbose adds the stack that is otherwise never shown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { renderInstaller } from '../../../src/installer/index.ts';
import { writeUnreachableKubeconfig } from '../../support/unreachable-kubeconfig.ts';

const meshop = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meshop-cli-'));
const unreachable = writeUnreachableKubeconfig(dir);

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [meshop, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('meshop operator init --dry-run', () => {
  it('prints the installer objects as YAML, in apply order, with the namespace and image asked for', () => {
    const r = run(['operator', 'init', '--dry-run', '-n', 'platform', '--image', 'registry.example/op:1']);
    assert.equal(r.code, 0, r.stderr);
    const objects = parseAllDocuments(r.stdout).map((d) => d.toJS() as unknown);
    assert.deepEqual(objects, renderInstaller({ namespace: 'platform', image: 'registry.example/op:1' }));
  });

  it('prints a v1 List with -o json', () => {
    const r = run(['operator', 'init', '--dry-run', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { apiVersion: 'v1', kind: 'List', items: renderInstaller() });
  });

  it('accepts --watch-namespace and says on stderr that it does nothing', () => {
    const r = run(['operator', 'init', '--dry-run', '--watch-namespace', 'apps']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^meshop: warning: --watch-namespace has no effect: MeshConfig is cluster-scoped/);
  });
});

describe('usage errors of the cluster commands', () => {
  const cases: [string, string[], RegExp][] = [
    ['-o without --dry-run', ['operator', 'init', '-o', 'yaml'], /^meshop: -o\/--output needs --dry-run\n$/],
    ['--force without --purge', ['operator', 'remove', '--force'], /^meshop: --force needs --purge\n$/],
    [
      'a bad --timeout',
      ['install', '--timeout', 'soon'],
      /option '--timeout <duration>' argument 'soon' is invalid/,
    ],
    [
      '--name and -f together',
      ['uninstall', '--name', 'a', '-f', 'x.yaml'],
      /^meshop: give --name or -f, not both\n$/,
    ],
    [
      '--as-group without --as',
      ['--as-group', 'g', 'uninstall', '--name', 'a'],
      /^meshop: --as-group needs --as/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one line, exit 2`, () => {
      const r = run(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    });
  }
});

describe('help and --verbose', () => {
  for (const command of [
    ['operator'],
    ['operator', 'init'],
    ['operator', 'remove'],
    ['install'],
    ['uninstall'],
    ['completion'],
  ]) {
    it(`meshop ${command.join(' ')} --help has examples`, () => {
      const r = run([...command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`\\nExamples:\\n[^]*meshop ${command.join(' ')}`));
    });
  }

  it('an unreachable cluster is one line (exit 3), and --verbose adds the stack and its cause', () => {
    const plain = run(['--kubeconfig', unreachable, 'uninstall', '--name', 'demo']);
    assert.equal(plain.code, 3);
    assert.match(
      plain.stderr,
      /^meshop: discover meshop.dev\/v1alpha1: connect ECONNREFUSED 127\.0\.0\.1:1\n$/,
    );
    const verbose = run(['--kubeconfig', unreachable, '--verbose', 'uninstall', '--name', 'demo']);
    assert.equal(verbose.code, 3);
    assert.equal(verbose.stderr.split('\n')[0], plain.stderr.trimEnd());
    assert.match(verbose.stderr, /\n {4}at .*\.ts:\d+/);
    assert.match(verbose.stderr, /\ncaused by: Error: connect ECONNREFUSED/);
  });
});
