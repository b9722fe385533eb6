// Reading and writing a JSON tree by path (syntax in path-syntax.ts). Writers never change their input: they
// copy the tree, then edit the copy.
import { cloneJson, cloneJsonObject, isJsonArray, isJsonObject, setOwn } from './json.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject, ReadonlyJsonValue } from './json.ts';
import { PathError } from './path-error.ts';
import { SegmentKind, appendIndex, parsePath } from './path-syntax.ts';
import type { PathSegment } from './path-syntax.ts';

export interface SetPathOptions {
  /**
   * Create missing maps and lists on the way (what `--set` does, and what istioctl's overlay patches do).
   * When false, every node before the last segment must exist; the last one may still be a new key or an
   * append. Default: false.
   */
  readonly createMissing?: boolean;
}

/** Where a segment points inside its container; `present` is false for a missing key or an append slot. */
type Slot =
  | { readonly kind: 'map'; readonly map: JsonObject; readonly key: string; readonly present: boolean }
  | { readonly kind: 'list'; readonly list: JsonValue[]; readonly index: number; readonly present: boolean };

/** A reason the segment cannot apply to the node at all (wrong type, no matching element). */
interface Mismatch {
  readonly kind: 'mismatch';
  readonly reason: string;
}

/** The value at `path`, or undefined when any part of it is missing or of another type. */
export function getPath(tree: ReadonlyJsonValue, path: string): ReadonlyJsonValue | undefined {
  let node: ReadonlyJsonValue = tree;
  for (const segment of parsePath(path)) {
    // locate() only reads, so the read-only node can be viewed as mutable here.
    const slot = locate(node as JsonValue, segment);
    if (slot.kind === 'mismatch' || !slot.present) return undefined;
    node = read(slot);
  }
  return node;
}

/** A copy of `tree` with `value` written at `path`. Throws PathError when the path does not fit the tree. */
export function setPath(
  tree: ReadonlyJsonObject,
  path: string,
  value: ReadonlyJsonValue,
  options: SetPathOptions = {},
): JsonObject {
  const segments = parsePath(path);
  const root = cloneJsonObject(tree);
  let node: JsonValue = root;
  const context = { path, createMissing: options.createMissing === true };
  for (const [i, segment] of segments.entries()) {
    const slot = locateOrThrow(node, segment, path);
    const next = segments[i + 1];
    if (next === undefined) write(slot, cloneJson(value));
    else node = descendForWrite(slot, segment, next, context);
  }
  return root;
}

/**
 * A copy of `tree` without the node at `path`: a map key is removed, a list element is cut out. A map key that
 * is already absent or null (anywhere on the path) is not an error; a selector that matches nothing, an index past the
 * end, or a segment that does not fit the node's type is.
 */
export function deletePath(tree: ReadonlyJsonObject, path: string): JsonObject {
  const segments = parsePath(path);
  const root = cloneJsonObject(tree);
  let node: JsonValue = root;
  for (const [i, segment] of segments.entries()) {
    const slot = locateOrThrow(node, segment, path);
    if (!slot.present) {
      if (slot.kind === 'list') throw new PathError(path, segment.text, `index is past the end of the list`);
      return root;
    }
    if (i === segments.length - 1) remove(slot);
    else if (read(slot) === null)
      return root; // a null node has nothing below it to delete
    else node = read(slot);
  }
  return root;
}

function locateOrThrow(node: JsonValue, segment: PathSegment, path: string): Slot {
  const slot = locate(node, segment);
  if (slot.kind === 'mismatch') throw new PathError(path, segment.text, slot.reason);
  return slot;
}

function locate(node: JsonValue, segment: PathSegment): Slot | Mismatch {
  if (segment.kind === SegmentKind.Key) {
    if (!isJsonObject(node)) return { kind: 'mismatch', reason: `expected a map, found ${describe(node)}` };
    const present = Object.hasOwn(node, segment.key);
    return { kind: 'map', map: node, key: segment.key, present };
  }
  if (!isJsonArray(node)) return { kind: 'mismatch', reason: `expected a list, found ${describe(node)}` };
  const list = node;
  if (segment.kind === SegmentKind.Index) {
    const present = segment.index !== appendIndex && segment.index < list.length;
    return { kind: 'list', list, index: present ? segment.index : list.length, present };
  }
  const index = list.findIndex((element) => selects(segment, element));
  if (index === -1) return { kind: 'mismatch', reason: 'no list element matches' };
  return { kind: 'list', list, index, present: true };
}

function selects(segment: PathSegment, element: JsonValue): boolean {
  if (segment.kind === SegmentKind.Value) return scalarText(element) === segment.value;
  if (segment.kind !== SegmentKind.Match || !isJsonObject(element)) return false;
  return Object.hasOwn(element, segment.field) && scalarText(element[segment.field]) === segment.value;
}

/** How a scalar reads in a selector: `[port:80]` matches the number 80 as well as the string "80". */
function scalarText(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

function read(slot: Slot): JsonValue {
  // A present slot always holds a value; `null` stands in for the impossible absent case.
  return (slot.kind === 'map' ? slot.map[slot.key] : slot.list[slot.index]) ?? null;
}

function write(slot: Slot, value: JsonValue): void {
  if (slot.kind === 'map') setOwn(slot.map, slot.key, value);
  else if (slot.present) slot.list[slot.index] = value;
  else slot.list.push(value);
}

function remove(slot: Slot): void {
  if (slot.kind === 'map') Reflect.deleteProperty(slot.map, slot.key);
  else slot.list.splice(slot.index, 1);
}

/** The node a write continues into; a missing (or null) one is filled with the container `next` needs. */
function descendForWrite(
  slot: Slot,
  segment: PathSegment,
  next: PathSegment,
  context: { readonly path: string; readonly createMissing: boolean },
): JsonValue {
  if (slot.present && read(slot) !== null) return read(slot);
  // Appending a list element creates it by definition, so that is allowed even without createMissing.
  const appending = slot.kind === 'list' && !slot.present;
  if (!context.createMissing && !appending) {
    throw new PathError(context.path, segment.text, 'does not exist (only the last segment may be new)');
  }
  const child: JsonValue = next.kind === SegmentKind.Key ? {} : [];
  write(slot, child);
  return child;
}

function describe(node: JsonValue): string {
  if (node === null) return 'null';
  if (isJsonArray(node)) return 'a list';
  if (isJsonObject(node)) return 'a map';
  return `the ${typeof node} ${JSON.stringify(node)}`;
}
