// Chart templates leave a field out when its value is empty; so do the node-agent renderers.
import type { JsonObject, JsonValue } from '../../../tree/index.ts';

/** `{ [key]: value }` when `value` has entries, else nothing to spread. */
export function ifSet(key: string, value: JsonObject | readonly JsonValue[]): JsonObject {
  const size = Array.isArray(value) ? value.length : Object.keys(value).length;
  return size > 0 ? { [key]: value as JsonValue } : {};
}
