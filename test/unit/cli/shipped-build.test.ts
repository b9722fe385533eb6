// The JavaScript meshop ships (hack/bundle.ts, ADR 0022) behaves as the sources do. The bundle is copied where
// nothing but package.json lies beside it, as in the operator image (no src/, no node_modules), and the same
// commands run from both: help, version, a full render of the demo profile, and the operator's refusal of a bad
// flag. The integration and end-to-end tests then run the shipped files against the cluster (test/support).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../../hack/bundle.ts';
import { schemaCodeDigest } from '../../../src/render/schema-code.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const sourcesCli = join(repo, 'bin', 'meshop.js');
const sourcesOperator = join(repo, 'src', 'main.ts');

function run(file: string, args: readonly string[]) {
  const r = spawnSync(process.execPath, [file, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: process.env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the shipped build', () => {
  let app: string;
  let cli: string;
  let operator: string;

  before(async () => {
    app = mkdtempSync(join(tmpdir(), 'meshop-shipped-'));
    const built = await bundle(join(app, 'build'));
    // The image's layout: /app/package.json and /app/dist/js, nothing else of the repository.
    mkdirSync(join(app, 'dist'));
    cpSync(join(app, 'build'), join(app, 'dist', 'js'), { recursive: true });
    rmSync(join(app, 'build'), { recursive: true });
    cpSync(join(repo, 'package.json'), join(app, 'package.json'));
    cli = built.cli.replace(join(app, 'build'), join(app, 'dist', 'js'));
    operator = built.operator.replace(join(app, 'build'), join(app, 'dist', 'js'));
  });
  after(() => {
    rmSync(app, { recursive: true, force: true });
  });

  it('is plain JavaScript with no module of the sources or of node_modules left to load', () => {
    const files = readdirSync(join(app, 'dist', 'js'));
    assert.ok(files.includes('meshop.js') && files.includes('main.js'), files.join(' '));
    assert.deepEqual(readdirSync(app).sort(), ['dist', 'package.json']);
  });

  it('keys the cache of release schemas as the sources do (the digest of the schema code, compiled in)', () => {
    const dir = join(app, 'dist', 'js');
    const bundled = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    assert.ok(bundled.some((code) => code.includes(JSON.stringify(schemaCodeDigest()))));
    assert.ok(!bundled.some((code) => code.includes('MESHOP_SCHEMA_CODE_DIGEST')));
  });

  for (const args of [['--help'], ['version', '--client'], ['install', '--help'], ['profile', 'list']]) {
    it(`prints what the sources print for meshop ${args.join(' ')}`, () => {
      const shipped = run(cli, args);
      const sources = run(sourcesCli, args);
      assert.equal(shipped.code, 0, shipped.stderr);
      assert.deepEqual(shipped, sources);
    });
  }

  it('renders the demo profile object for object as the sources do', () => {
    const args = ['manifest', 'generate', '--set', 'profile=demo', '--set', 'revision=canary'];
    const shipped = run(cli, args);
    assert.equal(shipped.code, 0, shipped.stderr);
    assert.match(shipped.stdout, /name: istiod-canary/);
    assert.deepEqual(shipped, run(sourcesCli, args));
  });

  it('fails as the sources do: the same line and exit code for bad input', () => {
    const shipped = run(cli, ['manifest', 'generate', '--set', 'profile=no-such-profile']);
    assert.equal(shipped.code, 2);
    assert.deepEqual(shipped, run(sourcesCli, ['manifest', 'generate', '--set', 'profile=no-such-profile']));
  });

  it("starts the operator's flag parsing: a bad value is refused in one line with exit code 2", () => {
    const shipped = run(operator, ['--concurrency', 'abc']);
    assert.equal(shipped.code, 2);
    assert.deepEqual(shipped, run(sourcesOperator, ['--concurrency', 'abc']));
  });
});
