// Small constructors for structural-schema nodes. Each returns plain OpenAPI data typed with the TypeScript
// type of the values it describes, so `Infer<typeof node>` is the API type and the CRD is generated from the
// node.
import type { Infer, Invariant, OpenApiSchema, Schema } from './openapi-schema.ts';

interface Rules<T> {
  readonly rules?: readonly Invariant<T>[];
}

interface StringOptions extends Rules<string> {
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly pattern?: string;
  readonly format?: string;
}

interface NumberOptions {
  readonly minimum?: number;
  readonly maximum?: number;
  readonly format?: 'int32' | 'int64';
}

interface ListOptions<T> extends Rules<T[]> {
  readonly maxItems?: number;
  /** `map` lists merge by these keys under server-side apply. */
  readonly mapKeys?: readonly string[];
}

interface MapOptions<T> extends Rules<Record<string, T>> {
  readonly maxProperties?: number;
}

type Properties = Readonly<Record<string, OpenApiSchema>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The object type of a property map: keys listed in `R` are required, all others optional. */
export type ObjectOf<P extends Properties, R extends string> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]: Infer<P[K]> } & {
    -readonly [K in keyof P as K extends R ? never : K]?: Infer<P[K]>;
  }
>;

interface ObjectOptions<P extends Properties, R extends keyof P & string> extends Rules<ObjectOf<P, R>> {
  readonly required?: readonly R[];
}

function withRules<T>(node: OpenApiSchema, rules: readonly Invariant<T>[] | undefined): OpenApiSchema {
  return rules && rules.length > 0 ? { ...node, 'x-kubernetes-validations': rules } : node;
}

export function string(description: string, options: StringOptions = {}): Schema<string> {
  const { rules, ...limits } = options;
  return withRules({ type: 'string', description, ...limits }, rules);
}

/** A string limited to `values`; its type is the union of those literals. */
export function stringEnum<const V extends readonly string[]>(
  values: V,
  description: string,
): Schema<V[number]> {
  return { type: 'string', description, enum: values };
}

export function integer(description: string, options: NumberOptions = {}): Schema<number> {
  return { type: 'integer', description, ...options };
}

export function boolean(description: string): Schema<boolean> {
  return { type: 'boolean', description };
}

/** Kubernetes' IntOrString: quantities, ports by name or number, and Istio's numeric image tags. */
export function intOrString(
  description: string,
  options: Rules<number | string> = {},
): Schema<number | string> {
  return withRules({ description, 'x-kubernetes-int-or-string': true }, options.rules);
}

/** Any JSON value at all; used where Istio accepts arbitrary values (overlay patch values). */
export function anyValue(description: string): Schema<unknown> {
  return { description, 'x-kubernetes-preserve-unknown-fields': true };
}

/** A free-form object: kept as written, checked by whoever consumes it (Helm values, Kubernetes types). */
export function freeForm(description: string): Schema<Record<string, unknown>> {
  return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
}

export function list<T>(description: string, items: Schema<T>, options: ListOptions<T> = {}): Schema<T[]> {
  const { rules, maxItems, mapKeys } = options;
  const node: OpenApiSchema = {
    type: 'array',
    description,
    items,
    ...(maxItems === undefined ? {} : { maxItems }),
    ...(mapKeys ? { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': mapKeys } : {}),
  };
  return withRules(node, rules);
}

/** An object with arbitrary keys and values of one schema (labels, annotations, revision tags). */
export function map<T>(
  description: string,
  values: Schema<T>,
  options: MapOptions<T> = {},
): Schema<Record<string, T>> {
  const { rules, maxProperties } = options;
  const node: OpenApiSchema = {
    type: 'object',
    description,
    additionalProperties: values,
    ...(maxProperties === undefined ? {} : { maxProperties }),
  };
  return withRules(node, rules);
}

export function object<const P extends Properties, const R extends keyof P & string = never>(
  description: string,
  properties: P,
  options: ObjectOptions<P, R> = {},
): Schema<ObjectOf<P, R>> {
  const { rules, required } = options;
  const node: OpenApiSchema = {
    type: 'object',
    description,
    properties,
    ...(required && required.length > 0 ? { required } : {}),
  };
  return withRules(node, rules);
}

/**
 * An object whose listed fields are typed and validated while any other field is kept: for Kubernetes types
 * such as ServiceSpec, where meshop reads a few fields and passes the rest through.
 */
export function openObject<const P extends Properties>(
  description: string,
  properties: P,
  options: Rules<ObjectOf<P, never>> = {},
): Schema<ObjectOf<P, never> & Record<string, unknown>> {
  const node: OpenApiSchema = {
    type: 'object',
    description,
    properties,
    'x-kubernetes-preserve-unknown-fields': true,
  };
  return withRules(node, options.rules);
}
