// The example GitOps repo of docs/gitops.md (docs/gitops-example/): its operator layer builds the installer's
// objects and its mesh is the production sample, so the documented repo installs what the docs say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { renderInstaller } from '../../../src/installer/index.ts';
import { findKubectl, kustomizeBuild, objectKey } from './kustomize.ts';

const repo = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const kubectl = findKubectl();
const noKubectl = 'no kubectl (run `make cluster-build`, or set KUBECTL)';

describe('docs/gitops-example', () => {
  it('keeps the production sample as it is in config/samples', () => {
    assert.equal(
      readFileSync(repo('docs/gitops-example/meshes/production.yaml'), 'utf8'),
      readFileSync(repo('config/samples/minimal-production.yaml'), 'utf8'),
    );
  });

  it('operator/ builds the objects of the installer', (t) => {
    if (!kubectl) {
      t.skip(noKubectl);
      return;
    }
    const built = kustomizeBuild(kubectl, repo('docs/gitops-example/operator'));
    assert.deepEqual(built.map(objectKey).sort(), renderInstaller().map(objectKey).sort());
  });

  it('meshes/ builds one MeshConfig, named production', (t) => {
    if (!kubectl) {
      t.skip(noKubectl);
      return;
    }
    const built = kustomizeBuild(kubectl, repo('docs/gitops-example/meshes'));
    assert.deepEqual(built.map(objectKey), ['MeshConfig /production']);
  });
});
