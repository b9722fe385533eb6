// The operator's objects as `operator init --dry-run` prints them. No cluster, no Kubernetes client.
import type { KubeObject } from '../kube/index.ts';
import { objectsToYaml } from '../render/index.ts';

/** As kubectl prints objects: a YAML stream, or one v1 List in JSON. */
export function formatObjects(objects: readonly KubeObject[], format: string): string {
  if (format !== 'json') return objectsToYaml(objects);
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
