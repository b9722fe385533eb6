// Chart values become env values and ConfigMap data, which are strings. Scalars print as Go's templates print
// them; anything else (a map or list where a scalar belongs) prints as JSON instead of Go's debug form.
import type { ReadonlyJsonValue } from '../../../tree/index.ts';
import type { Tree } from '../../values.ts';

export function scalarString(value: ReadonlyJsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A user-supplied `key: value` map as string pairs, in key order (the order Go ranges over a map in). */
export function stringEntries(map: Tree): [string, string][] {
  return Object.keys(map)
    .sort()
    .map((key) => [key, scalarString(map[key])]);
}

/** A map of string pairs as a list of container env entries. */
export function envEntries(map: Tree): { name: string; value: string }[] {
  return stringEntries(map).map(([name, value]) => ({ name, value }));
}

/** A user-supplied labels or annotations map with every value a string, as Kubernetes requires. */
export function stringMap(map: Tree): Record<string, string> {
  return Object.fromEntries(stringEntries(map));
}
