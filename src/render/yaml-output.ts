// Rendered objects as one multi-document YAML stream: apiVersion, kind and metadata lead, every other key keeps
// the order the renderer built it in, long strings are never folded. The same input gives the same bytes.
// js-yaml writes it (ADR 0018): it quotes every string a YAML 1.1 reader would take for something else ("on",
// "yes", "y", dates), which matters because kubectl and Helm read manifests with a YAML 1.1 parser, and it
// writes a demo manifest in well under half the time of the `yaml` package.
import { dump } from 'js-yaml';
import type { KubeObject } from '../objects/index.ts';

const leadingKeys = ['apiVersion', 'kind', 'metadata'];
const leadingMetadata = ['name', 'namespace', 'labels', 'annotations'];

function lead(obj: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of first) if (obj[k] !== undefined) out[k] = obj[k];
  for (const [k, v] of Object.entries(obj)) if (!first.includes(k) && v !== undefined) out[k] = v;
  return out;
}

export function objectToYaml(obj: KubeObject): string {
  const ordered = lead(obj, leadingKeys);
  ordered.metadata = lead(obj.metadata as Record<string, unknown>, leadingMetadata);
  // skipInvalid drops keys whose value is undefined (JSON has no such value), as JSON.stringify would.
  return dump(ordered, { lineWidth: -1, noRefs: true, quoteStyle: 'double', skipInvalid: true });
}

export function objectsToYaml(objects: readonly KubeObject[]): string {
  return objects.map(objectToYaml).join('---\n');
}
