// `make manifests`: writes the MeshConfig CRD and its kustomize files from the API schema in src/api.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crdManifestFiles } from '../src/api/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

for (const [path, content] of Object.entries(crdManifestFiles())) {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  process.stdout.write(`wrote ${path}\n`);
}
