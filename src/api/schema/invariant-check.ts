// Runs the invariants attached to schema nodes (the TypeScript twins of the CRD's CEL rules). A node's
// invariants run only when its value has the right shape, so each check receives the type its schema promises.
import { childPath, indexPath } from './validation-error.ts';
import type { ValidationError } from './validation-error.ts';
import type { OpenApiSchema } from './openapi-schema.ts';
import { checkShape, isJsonObject } from './shape-check.ts';

function childEntries(node: OpenApiSchema, value: unknown, path: string): [OpenApiSchema, unknown, string][] {
  const { items, additionalProperties, properties } = node;
  if (Array.isArray(value)) return items ? value.map((item, i) => [items, item, indexPath(path, i)]) : [];
  if (!isJsonObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]): [OpenApiSchema, unknown, string][] => {
    const child = additionalProperties ?? properties?.[key];
    return child ? [[child, item, childPath(path, key)]] : [];
  });
}

function ownInvariants(node: OpenApiSchema, value: unknown, path: string): ValidationError[] {
  const invariants = node['x-kubernetes-validations'] ?? [];
  if (invariants.length === 0 || checkShape(node, value, path).length > 0) return [];
  return invariants.flatMap((invariant) => invariant.check(value as never, path));
}

/** Every invariant broken anywhere in `value`, children first. */
export function checkInvariants(node: OpenApiSchema, value: unknown, path: string): ValidationError[] {
  if (value === undefined || value === null) return [];
  const nested = childEntries(node, value, path).flatMap(([child, item, itemPath]) =>
    checkInvariants(child, item, itemPath),
  );
  return [...nested, ...ownInvariants(node, value, path)];
}
