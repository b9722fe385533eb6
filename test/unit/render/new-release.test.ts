// Adding an Istio release is data: a catalog entry (an IstioRelease) and `meshop artifacts build`, with no code
// change. Proved with a third release the catalog does not hold: the early-1.31 snapshot of the istio.io/istio
// module (hack/test.sh downloads it into the module cache before the tests run offline, and names it in
// MESHOP_EXTRA_ISTIO_MODULE), built into a scratch artifacts root and rendered.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { offlineGoEnv } from '../../support/offline-go-env.ts';
import { buildArtifacts, loadArtifacts } from '../../../src/artifacts/index.ts';
import type { IstioRelease } from '../../../src/catalog/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { renderMesh } from '../../../src/render/index.ts';

const istioModule = process.env.MESHOP_EXTRA_ISTIO_MODULE ?? 'v0.0.0-20260423205519-b01690e6db7d';

// What a catalog entry for the snapshot says; nothing else about it is known to meshop's code.
const early: IstioRelease = {
  version: '1.31.0-early',
  minor: '1.31',
  hub: 'docker.io/istio',
  tag: '1.31.0-early',
  istioModule,
  minKubernetes: '1.32',
  artifactChecksums: {},
  crdNames: [],
};

/** The CRDs the snapshot's base chart carries. */
function crdCount(artifacts: ReturnType<typeof loadArtifacts>): number {
  const file = artifacts.chart('base').files.find((f) => f.name === 'files/crd-all.gen.yaml');
  const text = file === undefined ? '' : Buffer.from(file.data).toString('utf8');
  return [...text.matchAll(/^kind: CustomResourceDefinition$/gm)].length;
}

const root = mkdtempSync(join(tmpdir(), 'meshop-new-release-'));
const goEnv = offlineGoEnv();

describe('a release that is not in the catalog', () => {
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('builds, loads and renders from its own charts and profiles, with no code change', () => {
    assert.ok(!knownVersions.includes(early.version), 'the catalog does not hold it');
    buildArtifacts(root, early, { goEnv });
    const artifacts = loadArtifacts(root, early);
    const objects = renderMesh({ name: 'early', spec: { profile: 'demo' } }, early, artifacts).objects;
    const istiod = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');
    const text = JSON.stringify(istiod);
    // Its images are the entry's, its workloads the snapshot's charts'.
    assert.match(text, /"image":"docker\.io\/istio\/pilot:1\.31\.0-early"/);
    assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'istio-egressgateway'));
    assert.equal(
      objects.filter((o) => o.kind === 'CustomResourceDefinition').length,
      crdCount(artifacts),
      "the base chart renders the snapshot's own CRDs",
    );
  });
});
