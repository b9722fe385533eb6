// The operator's objects as `operator init` applies them and `--dry-run` prints them: the installer's render,
// the same that `make build-installer` writes to dist/install.yaml. No cluster, no Kubernetes client.
import { renderInstaller } from '../installer/index.ts';
import type { InstallerOptions } from '../installer/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { objectsToYaml } from '../render/index.ts';

export function installerObjects(options: InstallerOptions): KubeObject[] {
  return renderInstaller(options);
}

/** As kubectl prints objects: a YAML stream, or one v1 List in JSON. */
export function formatObjects(objects: readonly KubeObject[], format: string): string {
  if (format !== 'json') return objectsToYaml(objects);
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
