// A parsed YAML document as a JSON tree. YAML can hold values JSON cannot (.inf, .nan, binary, sets); those
// cannot become part of a Kubernetes object, so they are refused with the path that holds them.
import type { JsonValue } from '../tree/index.ts';
import { ConversionError } from './conversion-error.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` checked and copied as JSON; `where` names it in the error (e.g. `iop.yaml: spec.values`). */
export function toJsonTree(value: unknown, where: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown, i) => toJsonTree(item, `${where}[${i}]`));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a `__proto__` key stays data.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, toJsonTree(item, `${where}.${key}`)]),
    );
  }
  const what = typeof value === 'number' ? String(value) : `a ${typeof value}`;
  throw new ConversionError(`${where}: ${what} cannot be part of a Kubernetes object`);
}
