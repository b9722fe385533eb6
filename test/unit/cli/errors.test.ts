// The CLI's promise for bad input: one line on stderr naming the problem, a documented exit code, no stack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeUnreachableKubeconfig } from '../../support/unreachable-kubeconfig.ts';

const meshop = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meshop-cli-'));

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [meshop, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('meshop CLI with a bad kubeconfig', () => {
  it('a missing --kubeconfig file: one line naming it, exit 2', () => {
    const r = run(['version', '--kubeconfig', join(dir, 'missing.yaml')]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `meshop: kubeconfig ${join(dir, 'missing.yaml')}: file not found\n`);
  });

  it('an invalid file from $KUBECONFIG: one line naming it, exit 2, no stack trace', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nclusters: {not: [a list\n');
    const r = run(['version'], { KUBECONFIG: bad });
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(r.stderr, new RegExp(`^meshop: kubeconfig ${bad}: not a valid kubeconfig`));
    assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/);
  });

  it('an unreachable server: one line, exit 3', () => {
    const kc = writeUnreachableKubeconfig(dir);
    const r = run(['version', '--kubeconfig', kc]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /^meshop: get server version: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
  });

  it('an unknown command: usage error, exit 2', () => {
    const r = run(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
