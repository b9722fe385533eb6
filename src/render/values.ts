// Typed reads from the layered spec (values, meshConfig, components): free-form JSON, so each read names its
// path (istioctl's path syntax) and a fallback for when the value is absent or of another type.
import { getPath, isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';

export type Tree = ReadonlyJsonObject;

export function readString(tree: Tree, path: string, fallback: string): string {
  const v = getPath(tree, path);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;
}

export function readBool(tree: Tree, path: string, fallback: boolean): boolean {
  const v = getPath(tree, path);
  return typeof v === 'boolean' ? v : fallback;
}

export function readNumber(tree: Tree, path: string, fallback: number): number {
  const v = getPath(tree, path);
  return typeof v === 'number' ? v : fallback;
}

/** `value` when it is a map, else an empty one: free-form input read as a tree. */
export function asTree(value: ReadonlyJsonValue | undefined): Tree {
  return isJsonObject(value) ? value : {};
}

export function readTree(tree: Tree, path: string): Tree {
  return asTree(getPath(tree, path));
}

export function readList(tree: Tree, path: string): readonly ReadonlyJsonValue[] {
  const v = getPath(tree, path);
  return Array.isArray(v) ? (v as readonly ReadonlyJsonValue[]) : [];
}
