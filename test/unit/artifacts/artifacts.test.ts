// Istio's release data is loaded from a directory, checked file by file, and can be rebuilt from the Go module
// cache without a network.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { offlineGoEnv } from '../../support/offline-go-env.ts';
import { ArtifactsError, buildArtifacts, loadArtifacts, sha256 } from '../../../src/artifacts/index.ts';
import { getRelease } from '../../../src/catalog/index.ts';
import { releaseSchemas } from '../../../src/render/release-schemas.ts';

// hack/test.sh builds this before the tests run (the build needs the module proxy or a warm module cache).
const root = join(homedir(), '.cache', 'meshop', 'istio-artifacts');
const release = getRelease('1.31.0');

function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshop-artifacts-'));
  cpSync(join(root, release.version), join(dir, release.version), { recursive: true });
  return dir;
}

describe('Istio artifacts', () => {
  it("holds the API definitions of the release's meshConfig and values and of the Kubernetes types", () => {
    const api = loadArtifacts(root, release).apiDefinitions();
    const mesh = api.lookupType('istio.mesh.v1alpha1.MeshConfig');
    assert.equal(mesh.fields.access_log_file?.type, 'string');
    const values = api.lookupType('istio.operator.v1alpha1.Values');
    assert.ok(values.fields.pilot && values.fields.global);
    const toleration = api.lookupType('k8s.io.api.core.v1.Toleration');
    assert.equal(toleration.fields.tolerationSeconds?.type, 'int64');
    assert.ok(api.lookupType('k8s.io.api.autoscaling.v2.HorizontalPodAutoscalerSpec'));
    assert.ok(release.artifactChecksums['api/'], 'the catalog pins the API definitions');
  });

  it('keeps the schemas made from the API definitions beside them: a new process does not parse them again', () => {
    const dir = scratchCopy();
    const made = releaseSchemas(loadArtifacts(dir, release));
    // With the definitions gone, only the kept schemas can answer.
    rmSync(join(dir, release.version, 'api'), { recursive: true });
    const again = loadArtifacts(dir, release);
    assert.throws(() => again.apiDefinitions(), ArtifactsError);
    assert.deepStrictEqual(releaseSchemas(again), made);
    rmSync(dir, { recursive: true });
  });

  it("holds the release's charts and profiles, pinned by the catalog", () => {
    const a = loadArtifacts(root, release);
    assert.deepEqual(Object.keys(a.profiles).sort(), [
      'ambient',
      'default',
      'demo',
      'empty',
      'minimal',
      'openshift',
      'openshift-ambient',
      'preview',
      'remote',
      'stable',
    ]);
    assert.equal(a.profiles.demo?.kind, 'IstioOperator');
    const names = a.chart('istio-control/istio-discovery').files.map((f) => f.name);
    assert.ok(names.includes('Chart.yaml') && names.includes('templates/deployment.yaml'));
    assert.throws(() => a.chart('no-such-chart'), /no chart charts\/no-such-chart/);
    assert.ok(release.artifactChecksums['charts/'], 'the catalog pins the charts');
  });

  it('refuses charts that differ from what the catalog pins, even with a matching manifest', () => {
    const dir = scratchCopy();
    const manifestPath = join(dir, release.version, 'artifacts.json');
    const file = join(dir, release.version, 'charts', 'base', 'values.yaml');
    appendFileSync(file, '\n# edited\n');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: Record<string, string> };
    manifest.files['charts/base/values.yaml'] = sha256(readFileSync(file));
    writeFileSync(manifestPath, JSON.stringify(manifest));
    assert.throws(() => loadArtifacts(dir, release), /charts\/ does not match the digest the catalog pins/);
    rmSync(dir, { recursive: true });
  });

  it('says how to get the chart engine when it is missing', () => {
    const dir = scratchCopy();
    const saved = process.env.MESHOP_CHART_ENGINE_WASM;
    delete process.env.MESHOP_CHART_ENGINE_WASM;
    try {
      const a = loadArtifacts(dir, release);
      assert.throws(() => a.chartEngine(), /no chart engine at .*meshop artifacts build --version 1\.31\.0/);
    } finally {
      if (saved !== undefined) process.env.MESHOP_CHART_ENGINE_WASM = saved;
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses a file that was changed after the build', () => {
    const dir = scratchCopy();
    appendFileSync(join(dir, release.version, 'charts', 'base', 'Chart.yaml'), '\n# edited\n');
    assert.throws(
      () => loadArtifacts(dir, release),
      (err: Error) => {
        assert.ok(err instanceof ArtifactsError);
        assert.match(err.message, /charts\/base\/Chart\.yaml does not match the checksum/);
        return true;
      },
    );
    rmSync(dir, { recursive: true });
  });

  it('says how to make the directory when it is missing', () => {
    assert.throws(
      () => loadArtifacts(join(tmpdir(), 'meshop-nothing-here'), release),
      /run `meshop artifacts build --version 1\.31\.0 --istio-artifacts \S*meshop-nothing-here`/,
    );
  });

  it('rebuilds the same bytes offline from the module cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-artifacts-build-'));
    const goEnv = offlineGoEnv();
    buildArtifacts(dir, release, { goEnv });
    const data = (a: ReturnType<typeof loadArtifacts>) => ({
      ...a,
      chart: undefined,
      chartEngine: undefined,
      renderCache: undefined,
      derived: undefined,
      apiDefinitions: JSON.stringify(a.apiDefinitions().toJSON()),
      apiDigest: a.apiDigest(),
      charts: ['base', 'istio-control/istio-discovery', 'ztunnel'].map((c) => a.chart(c)),
    });
    assert.deepEqual(data(loadArtifacts(dir, release)), data(loadArtifacts(root, release)));
    rmSync(dir, { recursive: true });
  });
});
