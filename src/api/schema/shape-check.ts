// Checks a value against a structural schema the way the API server would before CEL runs: types, unknown
// fields, required fields, enums and size limits. Offline, so `meshop` can reject a file before a cluster does.
import { childPath, indexPath, validationError } from './validation-error.ts';
import type { ValidationError } from './validation-error.ts';
import { closestName } from './closest-name.ts';
import type { OpenApiSchema } from './openapi-schema.ts';

type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isJsonObject(value)) return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const expected: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

function hasType(node: OpenApiSchema, value: unknown): boolean {
  switch (node.type) {
    case 'object':
      return isJsonObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case undefined:
      return !node['x-kubernetes-int-or-string'] || Number.isInteger(value) || typeof value === 'string';
    default:
      return typeof value === node.type;
  }
}

function typeError(node: OpenApiSchema, value: unknown, path: string): ValidationError {
  const want = node.type ? expected[node.type] : 'an integer or a string';
  return validationError(path, `must be ${want ?? 'valid'}, not ${describeType(value)}`);
}

type ScalarRule = (node: OpenApiSchema, value: unknown) => string | undefined;

// Each returns the broken rule, or undefined.
const scalarRules: readonly ScalarRule[] = [
  (node, value) =>
    node.enum && typeof value === 'string' && !node.enum.includes(value)
      ? `must be one of ${node.enum.join(', ')}, not "${value}"`
      : undefined,
  (node, value) =>
    typeof value === 'number' && node.minimum !== undefined && value < node.minimum
      ? `must be at least ${node.minimum}, not ${value}`
      : undefined,
  (node, value) =>
    typeof value === 'number' && node.maximum !== undefined && value > node.maximum
      ? `must be at most ${node.maximum}, not ${value}`
      : undefined,
  (node, value) =>
    typeof value === 'string' && node.maxLength !== undefined && value.length > node.maxLength
      ? `must be at most ${node.maxLength} characters long, not ${value.length}`
      : undefined,
  (node, value) =>
    typeof value === 'string' && node.minLength !== undefined && value.length < node.minLength
      ? `must be at least ${node.minLength} characters long`
      : undefined,
  (node, value) =>
    typeof value === 'string' && node.pattern !== undefined && !new RegExp(node.pattern).test(value)
      ? // A named format reads better than its regular expression.
        node.format === undefined
        ? `must match ${node.pattern}, not "${value}"`
        : `"${value}" is not a ${node.format} (${node.description})`
      : undefined,
];

function checkScalar(node: OpenApiSchema, value: unknown, path: string): ValidationError[] {
  const broken = scalarRules.map((rule) => rule(node, value)).find((message) => message !== undefined);
  return broken === undefined ? [] : [validationError(path, broken)];
}

function checkList(node: OpenApiSchema, value: unknown[], path: string): ValidationError[] {
  const errors: ValidationError[] = [];
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    errors.push(validationError(path, `must have at most ${node.maxItems} items, not ${value.length}`));
  }
  const items = node.items;
  if (items) value.forEach((item, i) => errors.push(...checkShape(items, item, indexPath(path, i))));
  return errors;
}

function checkMap(node: OpenApiSchema, value: JsonObject, path: string): ValidationError[] {
  const errors: ValidationError[] = [];
  const count = Object.keys(value).length;
  if (node.maxProperties !== undefined && count > node.maxProperties) {
    errors.push(validationError(path, `must have at most ${node.maxProperties} entries, not ${count}`));
  }
  const values = node.additionalProperties;
  if (values) {
    for (const [key, item] of Object.entries(value))
      errors.push(...checkShape(values, item, childPath(path, key)));
  }
  return errors;
}

function unknownField(
  properties: Readonly<Record<string, unknown>>,
  key: string,
  path: string,
): ValidationError {
  const suggestion = closestName(key, Object.keys(properties));
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return validationError(childPath(path, key), `unknown field${hint}`);
}

function checkObject(node: OpenApiSchema, value: JsonObject, path: string): ValidationError[] {
  const properties = node.properties ?? {};
  const errors: ValidationError[] = (node.required ?? [])
    .filter((key) => value[key] === undefined)
    .map((key) => validationError(childPath(path, key), 'required field is missing'));
  for (const [key, item] of Object.entries(value)) {
    const child = properties[key];
    if (child) errors.push(...checkShape(child, item, childPath(path, key)));
    else if (!node['x-kubernetes-preserve-unknown-fields']) errors.push(unknownField(properties, key, path));
  }
  return errors;
}

/** Every way `value` fails to match `node`'s shape; `path` names the value. Invariants are not run here. */
export function checkShape(node: OpenApiSchema, value: unknown, path: string): ValidationError[] {
  // The API server drops nulls of non-nullable fields rather than rejecting them, and a null in a file is
  // how a user removes a profile's setting, so null passes as "not set".
  if (value === undefined || value === null) return [];
  if (!hasType(node, value)) return [typeError(node, value, path)];
  if (Array.isArray(value)) return checkList(node, value, path);
  if (isJsonObject(value)) {
    return node.additionalProperties ? checkMap(node, value, path) : checkObject(node, value, path);
  }
  return checkScalar(node, value, path);
}
