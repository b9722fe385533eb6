// The operator's entry point refuses a bad flag value before it connects to anything: exit code 2 and one line
// naming the flag, as main.ts documents (no stack trace, no half-started operator).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

function runMain(...args: string[]) {
  // An unreachable kubeconfig: were the flags accepted, the operator would fail later with exit code 1 instead.
  const env = { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' };
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env });
}

describe('meshop-operator flags', () => {
  for (const [flag, value] of [
    ['--concurrency', 'abc'],
    ['--concurrency', '0'],
    ['--concurrency', '1.5'],
    ['--health-probe-bind-address', 'localhost'],
    ['--health-probe-bind-address', ':99999'],
    ['--log-level', 'loud'],
  ] as const) {
    it(`refuses ${flag} ${value} with exit code 2 and one line`, () => {
      const r = runMain(flag, value);
      assert.equal(r.status, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', new RegExp(flag));
    });
  }

  it('accepts good values and gets as far as loading the kubeconfig (exit code 1, one line)', () => {
    const r = runMain('--concurrency', '4', '--health-probe-bind-address', '127.0.0.1:0');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr.trim(), /^meshop-operator: .*nonexistent/);
  });
});
