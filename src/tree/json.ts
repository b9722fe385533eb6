// The JSON value model every tree function works on. Inputs are typed read-only so that `as const` data and
// frozen objects can be passed in; outputs are fresh, mutable trees that share nothing with their inputs.

export type JsonPrimitive = string | number | boolean | null;

export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

export type ReadonlyJsonValue = JsonPrimitive | readonly ReadonlyJsonValue[] | ReadonlyJsonObject;

export interface ReadonlyJsonObject {
  readonly [key: string]: ReadonlyJsonValue;
}

export function isJsonObject(value: ReadonlyJsonValue | undefined): value is ReadonlyJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonArray(value: ReadonlyJsonValue | undefined): value is readonly ReadonlyJsonValue[] {
  return Array.isArray(value);
}

/**
 * Defines `key` as an own property. Plain assignment would treat a `__proto__` key (which JSON.parse and YAML
 * can produce) as a prototype change instead of data.
 */
export function setOwn(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy with every map's keys in sorted order: one canonical form for hashing and stable output. */
export function withSortedKeys(value: ReadonlyJsonValue): JsonValue {
  if (isJsonArray(value)) return value.map(withSortedKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, withSortedKeys(value[k] as ReadonlyJsonValue)]),
  );
}

/** A deep copy, so callers may mutate the result without touching `value`. */
export function cloneJson(value: ReadonlyJsonValue): JsonValue {
  if (isJsonArray(value)) return value.map(cloneJson);
  if (isJsonObject(value)) return cloneJsonObject(value);
  return value;
}

export function cloneJsonObject(value: ReadonlyJsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneJson(v)]));
}
