// `make build-installer`: dist/install.yaml, the operator's namespace, CRD, RBAC and Deployment in one file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderInstaller } from '../src/installer/index.ts';
import { objectsToYaml } from '../src/render/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'install.yaml');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, objectsToYaml(renderInstaller({ image: process.env.IMG })));
process.stdout.write(`wrote dist/install.yaml\n`);
