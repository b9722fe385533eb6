// The subset of OpenAPI v3 that a Kubernetes structural schema allows, plus the phantom type that lets the
// TypeScript type of an API field be derived from its schema, so the two can never disagree.
import type { ValidationError } from './validation-error.ts';

export const SchemaType = {
  Object: 'object',
  Array: 'array',
  String: 'string',
  Integer: 'integer',
  Number: 'number',
  Boolean: 'boolean',
} as const;
export type SchemaType = (typeof SchemaType)[keyof typeof SchemaType];

/**
 * A rule the API server and the offline validator both enforce. `rule`/`message` become an
 * `x-kubernetes-validations` entry (CEL); `check` is the same rule in TypeScript, for the CLI and for tests.
 * A rule without `rule` is offline-only, for what CEL cannot express within its cost budget.
 */
export interface Invariant<T = never> {
  readonly rule?: string;
  readonly message: string;
  readonly fieldPath?: string;
  /** Runs only on a value whose shape already matches the schema; `path` names the value. */
  readonly check: (value: T, path: string) => ValidationError[];
}

export interface OpenApiSchema {
  readonly type?: SchemaType;
  readonly description: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: OpenApiSchema;
  readonly items?: OpenApiSchema;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly maxProperties?: number;
  readonly 'x-kubernetes-preserve-unknown-fields'?: true;
  readonly 'x-kubernetes-int-or-string'?: true;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-validations'?: readonly Invariant[];
}

// Never set at run time: it only carries the TypeScript type of the value a schema describes.
declare const valueType: unique symbol;

/** A schema node that describes values of type `T`. */
export type Schema<T> = OpenApiSchema & { readonly [valueType]?: T };

/** The TypeScript type of the values a schema describes. */
export type Infer<S> = S extends { readonly [valueType]?: infer T } ? T : never;
