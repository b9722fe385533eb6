// Small fixtures for the tree tests: a Deployment-like object with named containers, and a deep-frozen copy
// helper so any mutation of an input throws.
import type { JsonObject, ReadonlyJsonObject, ReadonlyJsonValue } from '../../../src/tree/index.ts';

export function container(name: string, fields: JsonObject = {}): JsonObject {
  return { name, ...fields };
}

/** A Deployment with the given containers (just the nesting overlay paths walk through). */
export function deployment(...containers: JsonObject[]): JsonObject {
  return { kind: 'Deployment', spec: { template: { spec: { containers } } } };
}

/** `value`, frozen all the way down: writing into it throws in strict-mode ES modules. */
export function frozen<T extends ReadonlyJsonValue>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

export function frozenObject(value: JsonObject): ReadonlyJsonObject {
  return frozen(value);
}
