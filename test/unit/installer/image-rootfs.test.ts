// The operator image's final stage is only what hack/image-rootfs.sh puts in a directory (the Dockerfile copies
// that directory into `FROM scratch`). No container engine runs here, so the same script fills a directory on this
// machine from the same Node build and the shipped JavaScript, and the operator runs from it under chroot: it
// starts and parses its flags, reads its (missing) kubeconfig and answers in one line, with nothing but node to
// run, no shell and no npm. Needs root for chroot, as the suite's network namespace does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../../hack/bundle.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const isRoot = process.getuid?.() === 0;
// Found before the child's PATH (the image's) applies.
const chroot = spawnSync('sh', ['-c', 'command -v chroot'], { encoding: 'utf8' }).stdout.trim();

function inRoot(rootfs: string, args: readonly string[]) {
  // The environment the image sets, nothing of this machine's: no HOME, and no passwd entry for the user.
  const r = spawnSync(chroot, [rootfs, ...args], {
    encoding: 'utf8',
    env: { NODE_ENV: 'production', PATH: '/usr/local/bin' },
    cwd: '/',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

describe('the image root filesystem', { skip: !isRoot && 'chroot needs root' }, () => {
  let work: string;
  let rootfs: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'meshop-rootfs-'));
    const app = join(work, 'app');
    mkdirSync(join(app, 'dist'), { recursive: true });
    await bundle(join(app, 'dist', 'js'));
    cpSync(join(repo, 'package.json'), join(app, 'package.json'));
    rootfs = join(work, 'rootfs');
    const made = spawnSync('bash', [join(repo, 'hack', 'image-rootfs.sh'), rootfs, app], {
      encoding: 'utf8',
    });
    assert.equal(made.status, 0, made.stderr);
  });
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('holds node, its libraries and the app, and nothing to run but node', () => {
    assert.deepEqual(
      readdirSync(rootfs)
        .sort()
        .filter((d) => !d.startsWith('lib')),
      ['app', 'tmp', 'usr'],
    );
    assert.deepEqual(readdirSync(join(rootfs, 'usr', 'local', 'bin')), ['node']);
    for (const absent of [
      'bin/sh',
      'bin/bash',
      'usr/bin',
      'usr/local/bin/npm',
      'app/node_modules',
      'app/src',
    ]) {
      assert.ok(!existsSync(join(rootfs, absent)), `${absent} is not in the image`);
    }
    assert.equal(inRoot(rootfs, ['/bin/sh', '-c', 'true']).code, 127, 'chroot finds no shell to run');
  });

  it('runs the operator: a bad flag value is refused with exit code 2', () => {
    const r = inRoot(rootfs, ['/usr/local/bin/node', '/app/dist/js/main.js', '--concurrency', 'abc']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: option '--concurrency <n>' argument 'abc' is invalid/);
  });

  it('runs the operator: a kubeconfig it cannot read is one line and exit code 1', () => {
    const r = inRoot(rootfs, [
      '/usr/local/bin/node',
      '/app/dist/js/main.js',
      '--kubeconfig',
      '/no/such/file',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /kubeconfig \/no\/such\/file: file not found/);
  });
});
