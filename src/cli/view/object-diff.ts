// An object-level diff of two sets of Kubernetes objects, for `meshop manifest diff`: objects matched by group,
// kind, namespace and name (not by version, so a v1beta1 -> v1 move is a change, not a delete and a create),
// each changed object shown as a unified diff of its YAML with sorted keys, so the order fields were built in
// never shows up as a change.
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from 'diff';
import type { KubeObject } from '../../kube/index.ts';
import { objectToYaml } from '../../render/index.ts';
import { withSortedKeys } from '../../tree/index.ts';
import type { ReadonlyJsonValue } from '../../tree/index.ts';

export interface DiffLabels {
  /** What the first set is, e.g. the file name or "cluster". */
  a: string;
  b: string;
}

export interface ChangedObject {
  ref: string;
  /** Unified diff of the two YAML texts, with `--- a` / `+++ b` headers. */
  patch: string;
}

export interface ObjectDiff {
  onlyInA: string[];
  onlyInB: string[];
  changed: ChangedObject[];
  unchanged: number;
}

const groupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';

/** Identity of an object across versions of its API. */
export function objectKey(obj: KubeObject): string {
  const { namespace = '', name = '' } = obj.metadata;
  return [groupOf(obj.apiVersion), obj.kind, namespace, name].join('|');
}

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function refText(obj: KubeObject): string {
  const { namespace, name = '' } = obj.metadata;
  return namespace ? `${obj.kind} ${namespace}/${name}` : `${obj.kind} ${name}`;
}

export function stableYaml(obj: KubeObject): string {
  return objectToYaml(withSortedKeys(obj as unknown as ReadonlyJsonValue) as unknown as KubeObject);
}

function yamlPatch(ref: string, a: KubeObject, b: KubeObject, labels: DiffLabels): string | undefined {
  const before = stableYaml(a);
  const after = stableYaml(b);
  if (before === after) return undefined;
  return createTwoFilesPatch(
    `${labels.a}: ${ref}`,
    `${labels.b}: ${ref}`,
    before,
    after,
    undefined,
    undefined,
    {
      context: 3,
      headerOptions: FILE_HEADERS_ONLY,
    },
  );
}

const byRef = (objects: readonly KubeObject[]): Map<string, KubeObject> =>
  new Map(objects.map((o) => [objectKey(o), o]));

export function diffObjects(
  a: readonly KubeObject[],
  b: readonly KubeObject[],
  labels: DiffLabels,
): ObjectDiff {
  const left = byRef(a);
  const right = byRef(b);
  const diff: ObjectDiff = { onlyInA: [], onlyInB: [], changed: [], unchanged: 0 };
  for (const [key, obj] of left) {
    const other = right.get(key);
    if (other === undefined) {
      diff.onlyInA.push(refText(obj));
      continue;
    }
    const patch = yamlPatch(refText(obj), obj, other, labels);
    if (patch === undefined) diff.unchanged++;
    else diff.changed.push({ ref: refText(obj), patch });
  }
  for (const [key, obj] of right) if (!left.has(key)) diff.onlyInB.push(refText(obj));
  diff.onlyInA.sort();
  diff.onlyInB.sort();
  diff.changed.sort((x, y) => x.ref.localeCompare(y.ref));
  return diff;
}

export const hasDifferences = (d: ObjectDiff): boolean =>
  d.onlyInA.length + d.onlyInB.length + d.changed.length > 0;

function listSection(title: string, refs: readonly string[]): string {
  if (refs.length === 0) return '';
  return `${title} (${String(refs.length)}):\n${refs.map((r) => `  ${r}\n`).join('')}`;
}

/** The diff as text: objects only in A, only in B, then each changed object's patch. Empty when equal. */
export function formatObjectDiff(d: ObjectDiff, labels: DiffLabels): string {
  const changed =
    d.changed.length === 0
      ? ''
      : `Changed (${String(d.changed.length)}):\n${d.changed.map((c) => c.patch).join('')}`;
  return [
    listSection(`Only in ${labels.a}`, d.onlyInA),
    listSection(`Only in ${labels.b}`, d.onlyInB),
    changed,
  ].join('');
}

/** One line for stderr: how many objects differ and how. */
export function diffSummary(d: ObjectDiff, labels: DiffLabels): string {
  return (
    `${String(d.onlyInA.length)} only in ${labels.a}, ${String(d.onlyInB.length)} only in ${labels.b}, ` +
    `${String(d.changed.length)} changed, ${String(d.unchanged)} unchanged`
  );
}
