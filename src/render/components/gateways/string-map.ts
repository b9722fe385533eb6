// Labels, annotations and the gateway `env` setting are free-form maps in the values; Kubernetes wants strings.
// Istio's charts print each value as text, so a number or boolean a user wrote unquoted still becomes a string.
import { isJsonObject } from '../../../tree/index.ts';
import type { ReadonlyJsonValue } from '../../../tree/index.ts';

export type StringMap = Record<string, string>;

function asText(value: ReadonlyJsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `value` as a map of strings; null entries are dropped (they mean "unset"), anything but a map gives {}. */
export function toStringMap(value: ReadonlyJsonValue | undefined): StringMap {
  if (!isJsonObject(value)) return {};
  const entries = Object.entries(value).filter(([, v]) => v !== null);
  return Object.fromEntries(entries.map(([k, v]) => [k, asText(v)]));
}

/** The keys of `map` in the order Go templates range over a map: sorted. */
export function sortedEntries(map: StringMap): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
