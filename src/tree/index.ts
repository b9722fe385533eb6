// Pure JSON-tree tools shared by profile layering, the renderer (k8s overlays) and the CLI (--set). They know
// nothing about Istio except the shape of its path language.
export { cloneJson, cloneJsonObject, isJsonArray, isJsonObject, withSortedKeys } from './json.ts';
export type { JsonObject, JsonPrimitive, JsonValue, ReadonlyJsonObject, ReadonlyJsonValue } from './json.ts';
export { deepMerge } from './deep-merge.ts';
export { PathError } from './path-error.ts';
export { SegmentKind, appendIndex, parsePath } from './path-syntax.ts';
export type { PathSegment } from './path-syntax.ts';
export { deletePath, getPath, setPath } from './path-ops.ts';
export type { SetPathOptions } from './path-ops.ts';
export { SetFlagError, applySetFlags, parseSetFlag } from './set-flag.ts';
export type { SetFlag } from './set-flag.ts';
