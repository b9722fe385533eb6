// The field paths validation reports (`spec.components.ingressGateways[1].name`, `metadata.labels["a.b/c"]`),
// read back into segments so the converter can find and remove the field they name.
import { isJsonArray, isJsonObject } from '../tree/index.ts';
import type { JsonObject, JsonValue, ReadonlyJsonValue } from '../tree/index.ts';

/** A map key or a list index. */
export type FieldSegment = string | number;

// `.name` or a leading `name`, `[3]`, or `["any key"]` (JSON-quoted), as api/schema's childPath writes them.
const segmentPattern = /\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;

/** The segments of a validation path; throws for text that validation never produces. */
export function parseFieldPath(path: string): FieldSegment[] {
  const pattern = new RegExp(segmentPattern);
  const segments: FieldSegment[] = [];
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (match === null) throw new Error(`cannot read field path ${JSON.stringify(path)}`);
    const [, key, index, quoted] = match;
    if (key !== undefined) segments.push(key);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push(String(JSON.parse(quoted ?? '""')));
  }
  return segments;
}

/** Writes segments back in validation's notation. */
export function formatFieldPath(segments: readonly FieldSegment[]): string {
  return segments
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (!/^[A-Za-z_][\w-]*$/.test(segment)) return `[${JSON.stringify(segment)}]`;
      return i === 0 ? segment : `.${segment}`;
    })
    .join('');
}

function child(node: ReadonlyJsonValue, segment: FieldSegment): ReadonlyJsonValue | undefined {
  if (typeof segment === 'number') return isJsonArray(node) ? node[segment] : undefined;
  return isJsonObject(node) && Object.hasOwn(node, segment) ? node[segment] : undefined;
}

/** The node at `segments`, or undefined when any part of the path is missing. */
export function valueAt(
  tree: ReadonlyJsonValue,
  segments: readonly FieldSegment[],
): ReadonlyJsonValue | undefined {
  let node: ReadonlyJsonValue | undefined = tree;
  for (const segment of segments) node = node === undefined ? undefined : child(node, segment);
  return node;
}

/** How many leading segments name nodes that exist in `tree`. */
export function existingDepth(tree: ReadonlyJsonValue, segments: readonly FieldSegment[]): number {
  let node: ReadonlyJsonValue | undefined = tree;
  for (const [depth, segment] of segments.entries()) {
    node = child(node, segment);
    if (node === undefined) return depth;
  }
  return segments.length;
}

function mutableChild(node: JsonValue | undefined, segment: FieldSegment): JsonValue | undefined {
  if (Array.isArray(node)) return typeof segment === 'number' ? node[segment] : undefined;
  if (typeof segment !== 'string' || !isJsonObject(node) || !Object.hasOwn(node, segment)) return undefined;
  return node[segment];
}

/** Removes the node at `segments` from `tree` in place (a list element is cut out); absent nodes are ignored. */
export function removeField(tree: JsonObject, segments: readonly FieldSegment[]): void {
  const last = segments.at(-1);
  let parent: JsonValue | undefined = tree;
  for (const segment of segments.slice(0, -1)) parent = mutableChild(parent, segment);
  if (typeof last === 'number' && Array.isArray(parent)) parent.splice(last, 1);
  else if (typeof last === 'string' && isJsonObject(parent)) Reflect.deleteProperty(parent, last);
}

/** Orders paths so that removing them in turn never shifts a list index a later removal relies on. */
export function compareForRemoval(a: readonly FieldSegment[], b: readonly FieldSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y) < String(x) ? -1 : 1;
  }
  // Deeper paths first: a child goes before the element that holds it.
  return b.length - a.length;
}
