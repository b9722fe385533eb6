// The merge rule of Istio's installer (and of meshop's profile layering): maps merge key by key, anything else
// (lists included) is replaced by the overlay's value. An explicit null in the overlay removes the key, which
// is how a user switches off something a profile set.
import { cloneJson, isJsonObject } from './json.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject, ReadonlyJsonValue } from './json.ts';

/**
 * `overlay` merged over `base`, as a new tree: neither input is changed and the result shares no nodes with them.
 * Key order is stable: the keys of `base` first, in their order, then the keys only `overlay` has.
 */
export function deepMerge(base: ReadonlyJsonObject, overlay: ReadonlyJsonObject): JsonObject {
  const entries: [string, JsonValue][] = [];
  for (const [key, baseValue] of Object.entries(base)) {
    if (!Object.hasOwn(overlay, key)) {
      entries.push([key, cloneJson(baseValue)]);
      continue;
    }
    const merged = mergeValue(baseValue, overlay[key]);
    if (merged !== undefined) entries.push([key, merged]);
  }
  for (const [key, overlayValue] of Object.entries(overlay)) {
    if (Object.hasOwn(base, key)) continue;
    const added = mergeValue(undefined, overlayValue);
    if (added !== undefined) entries.push([key, added]);
  }
  return Object.fromEntries(entries);
}

/** The merged value of one key; undefined means the key is removed. */
function mergeValue(
  baseValue: ReadonlyJsonValue | undefined,
  overlayValue: ReadonlyJsonValue | undefined,
): JsonValue | undefined {
  // `undefined` cannot come from JSON, but a spread of optional TypeScript fields can carry it: treat it as unset.
  if (overlayValue === undefined) return baseValue === undefined ? undefined : cloneJson(baseValue);
  if (overlayValue === null) return undefined;
  if (isJsonObject(overlayValue)) {
    // Merging into an empty map also drops nulls nested in a subtree the base never had.
    return deepMerge(isJsonObject(baseValue) ? baseValue : {}, overlayValue);
  }
  return cloneJson(overlayValue);
}
