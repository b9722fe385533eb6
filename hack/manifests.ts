// `make manifests`: writes the MeshConfig CRD and its kustomize files from the API schema in src/api, and the
// rest of kubebuilder's config/ tree (rbac/, manager/, default/, samples/kustomization.yaml) from src/installer.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdManifestFiles } from '../src/api/index.ts';
import { configFiles } from '../src/installer/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samples = readdirSync(join(root, 'config', 'samples')).filter((f) => f.endsWith('.yaml'));

for (const [path, content] of Object.entries({ ...crdManifestFiles(), ...configFiles(samples) })) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  process.stdout.write(`wrote ${path}\n`);
}
