// Turns a schema node into the openAPIV3Schema a CRD carries: the offline twins of CEL rules are dropped
// (offline-only invariants entirely), and shared sub-schemas are copied so YAML output never uses aliases.
import type { OpenApiSchema } from './openapi-schema.ts';

function withoutChecks(key: string, value: unknown): unknown {
  if (key !== 'x-kubernetes-validations' || !Array.isArray(value)) return value;
  const rules = (value as { rule?: string }[]).filter((invariant) => invariant.rule !== undefined);
  return rules.length > 0 ? rules.map(({ rule, ...rest }) => ({ rule, ...rest })) : undefined;
}

/** A JSON copy of `node` fit for a CRD; functions do not survive JSON, which is what removes each `check`. */
export function toCrdSchema(node: OpenApiSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(node, withoutChecks)) as Record<string, unknown>;
}
