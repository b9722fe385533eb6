// Istio's release data is loaded from a directory, checked file by file, and can be rebuilt from the Go module
// cache without a network.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ArtifactsError, buildArtifacts, loadArtifacts } from '../../../src/artifacts/index.ts';
import { getRelease } from '../../../src/catalog/index.ts';

// hack/test.sh builds this before the tests run (the build needs the module proxy or a warm module cache).
const root = join(homedir(), '.cache', 'meshop', 'istio-artifacts');
const release = getRelease('1.31.0');

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshop-artifacts-'));
  cpSync(join(root, release.version), join(dir, release.version), { recursive: true });
  return dir;
}

describe('Istio artifacts', () => {
  it('loads the 15 CRDs and every injection template of the release', () => {
    const a = loadArtifacts(root, release);
    assert.equal(a.crds.length, 15);
    assert.ok(a.crds.some((c) => c.metadata.name === 'virtualservices.networking.istio.io'));
    assert.deepEqual(Object.keys(a.injectionTemplates).sort(), [...release.injectionTemplates].sort());
    assert.match(a.injectionTemplates.sidecar ?? '', /istio-proxy/);
  });

  it("loads istiod's chart defaults as a values tree", () => {
    const values = loadArtifacts(root, release).istiodValues;
    // The istiod chart keeps pilot's settings at the top level of its values.
    assert.equal(values.autoscaleMin, 1);
    assert.equal(typeof (values.global as Record<string, unknown>).hub, 'string');
  });

  it('keeps x-kubernetes-* schema keys of the CRDs', () => {
    const text = JSON.stringify(loadArtifacts(root, release).crds);
    assert.match(text, /x-kubernetes-preserve-unknown-fields/);
    assert.match(text, /x-kubernetes-validations/);
  });

  it('refuses a file that was changed after the build', () => {
    const dir = scratchCopy();
    appendFileSync(join(dir, release.version, 'injection', 'sidecar.yaml'), '\n# edited\n');
    assert.throws(
      () => loadArtifacts(dir, release),
      (err: Error) => {
        assert.ok(err instanceof ArtifactsError);
        assert.match(err.message, /injection\/sidecar\.yaml does not match the checksum/);
        return true;
      },
    );
    rmSync(dir, { recursive: true });
  });

  it('says how to make the directory when it is missing', () => {
    assert.throws(
      () => loadArtifacts(join(tmpdir(), 'meshop-nothing-here'), release),
      /meshop artifacts build/,
    );
  });

  it('rebuilds the same bytes offline from the module cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-artifacts-build-'));
    const goEnv = {
      ...process.env,
      GOMODCACHE: process.env.GOMODCACHE ?? join(homedir(), '.cache', 'meshop', 'go-mod'),
      GOFLAGS: '-modcacherw',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
    };
    buildArtifacts(dir, release, { goEnv });
    const rebuilt = loadArtifacts(dir, release);
    assert.deepEqual(rebuilt, loadArtifacts(root, release));
    rmSync(dir, { recursive: true });
  });
});
