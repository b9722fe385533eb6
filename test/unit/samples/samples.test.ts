// Every sample in config/samples is a valid MeshConfig that renders: users copy these first.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { formatValidationError, validateMeshConfig } from '../../../src/api/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { profileNames } from '../../../src/profiles/index.ts';
import { renderMesh } from '../../../src/render/index.ts';
import type { ReadonlyJsonObject } from '../../../src/tree/index.ts';
import { testRelease } from '../../support/render-fixtures.ts';

const dir = fileURLToPath(new URL('../../../config/samples/', import.meta.url));
const samples = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('config/samples', () => {
  it('has the common uses', () => {
    for (const name of [
      'demo',
      'minimal-production',
      'canary-upgrade',
      'ambient',
      'gateways-own-namespace',
    ]) {
      assert.ok(samples.includes(`${name}.yaml`), name);
    }
  });

  for (const file of samples) {
    it(`${file} is valid and renders`, () => {
      const mesh = parse(readFileSync(join(dir, file), 'utf8')) as {
        metadata: { name: string };
        spec: ReadonlyJsonObject;
      };
      const errors = validateMeshConfig(mesh, { profiles: profileNames, versions: knownVersions });
      assert.deepEqual(errors.map(formatValidationError), []);
      const { release, artifacts } = testRelease();
      const objects = renderMesh({ name: mesh.metadata.name, spec: mesh.spec }, release, artifacts).objects;
      assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name?.startsWith('istiod')));
    });
  }

  it('spreads the production istiod and protects it with a PDB', () => {
    const mesh = parse(readFileSync(join(dir, 'minimal-production.yaml'), 'utf8')) as {
      spec: ReadonlyJsonObject;
    };
    const { release, artifacts } = testRelease();
    const objects = renderMesh({ name: 'production', spec: mesh.spec }, release, artifacts).objects;
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'istiod');
    assert.equal((hpa?.spec as { minReplicas: number }).minReplicas, 3);
    assert.ok(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'istiod'));
  });
});
