// A structural schema from a protobuf message definition, so that parts of a MeshConfig that a release defines in
// protobuf (meshConfig, values) or that become Kubernetes objects (k8s settings) are checked with the same
// offline shape check as the rest of the spec, against the release's own definitions (src/artifacts).
//
// Two JSON dialects are read: protobuf's canonical JSON (istioctl decodes meshConfig and values with it: field
// names in lowerCamelCase or as declared, enums by name or number, 64-bit integers also as strings), and
// Kubernetes' JSON (field names as declared, a few types with their own JSON form).
import type protobuf from 'protobufjs';
import type { OpenApiSchema } from './openapi-schema.ts';

export type JsonDialect = 'protojson' | 'kubernetes';

type MutableSchema = { -readonly [K in keyof OpenApiSchema]: OpenApiSchema[K] };

const anything: OpenApiSchema = {
  description: 'Any value.',
  'x-kubernetes-preserve-unknown-fields': true,
};
const anyObject: OpenApiSchema = {
  type: 'object',
  description: 'Any object.',
  'x-kubernetes-preserve-unknown-fields': true,
};
const integerString = '^-?[0-9]+$';
const int64: OpenApiSchema = {
  format: 'int64',
  description: 'a number or a string of digits',
  'x-kubernetes-int-or-string': true,
  pattern: integerString,
};
const intOrString: OpenApiSchema = {
  description: 'An integer or a string.',
  'x-kubernetes-int-or-string': true,
};

// Kubernetes' resource.Quantity, as its own parser accepts it.
const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Messages whose JSON form is not the message's fields. */
const specialMessages: Readonly<Record<string, OpenApiSchema>> = {
  'google.protobuf.Duration': {
    type: 'string',
    format: 'duration',
    description: 'seconds with an "s" suffix, e.g. "1.5s"',
    pattern: '^-?[0-9]+(\\.[0-9]+)?s$',
  },
  'google.protobuf.Timestamp': { type: 'string', description: 'An RFC 3339 time.' },
  'google.protobuf.Struct': anyObject,
  'google.protobuf.Value': anything,
  'google.protobuf.ListValue': { type: 'array', description: 'A list.', items: anything },
  'google.protobuf.Any': anyObject,
  'google.protobuf.Empty': { type: 'object', description: 'An empty object.' },
  'google.protobuf.FieldMask': { type: 'string', description: 'Comma-separated field paths.' },
  'google.protobuf.BoolValue': { type: 'boolean', description: 'true or false.' },
  'google.protobuf.StringValue': { type: 'string', description: 'A string.' },
  'google.protobuf.BytesValue': { type: 'string', description: 'Base64 bytes.' },
  'google.protobuf.Int32Value': { type: 'integer', description: 'An integer.' },
  'google.protobuf.UInt32Value': { type: 'integer', description: 'An integer.', minimum: 0 },
  'google.protobuf.Int64Value': int64,
  'google.protobuf.UInt64Value': int64,
  'google.protobuf.DoubleValue': { type: 'number', description: 'A number.' },
  'google.protobuf.FloatValue': { type: 'number', description: 'A number.' },
  // istioctl's own int-or-string message in the values API.
  'istio.operator.v1alpha1.IntOrString': intOrString,
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': intOrString,
  'k8s.io.apimachinery.pkg.api.resource.Quantity': {
    format: 'quantity',
    description: 'e.g. 100m, 1.5, 128Mi',
    'x-kubernetes-int-or-string': true,
    pattern: quantityPattern,
  },
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', description: 'An RFC 3339 time.' },
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', description: 'An RFC 3339 time.' },
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': { type: 'string', description: 'A Go duration.' },
  'k8s.io.apimachinery.pkg.runtime.RawExtension': anyObject,
};

const boolean: OpenApiSchema = { type: 'boolean', description: 'true or false.' };
const text: OpenApiSchema = { type: 'string', description: 'A string.' };
const number: OpenApiSchema = { type: 'number', description: 'A number.' };
const integer: OpenApiSchema = { type: 'integer', description: 'An integer.' };

/** Scalar protobuf types by name; every other integer type is 32-bit. */
const scalars: Readonly<Record<string, OpenApiSchema>> = {
  bool: boolean,
  string: text,
  bytes: text,
  double: number,
  float: number,
};
const wideIntegers: ReadonlySet<string> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function scalar(type: string, dialect: JsonDialect): OpenApiSchema {
  // protobuf's JSON writes 64-bit integers as strings; Kubernetes' JSON as numbers.
  if (wideIntegers.has(type)) return dialect === 'protojson' ? int64 : integer;
  return scalars[type] ?? integer;
}

function enumSchema(type: protobuf.Enum, dialect: JsonDialect): OpenApiSchema {
  const names = Object.keys(type.values);
  return dialect === 'protojson'
    ? { description: type.fullName, 'x-kubernetes-int-or-string': true, enum: names }
    : { type: 'string', description: type.fullName, enum: names };
}

/** protobuf's JSON name of a field: json_name when declared, else the name in lowerCamelCase. */
function jsonName(field: protobuf.Field): string {
  const declared: unknown = field.options?.json_name;
  if (typeof declared === 'string') return declared;
  return field.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

class SchemaBuilder {
  private readonly done = new Map<string, OpenApiSchema>();
  private readonly dialect: JsonDialect;

  constructor(dialect: JsonDialect) {
    this.dialect = dialect;
  }

  message(type: protobuf.Type): OpenApiSchema {
    const name = type.fullName.replace(/^\./, '');
    const special = specialMessages[name];
    if (special) return special;
    const known = this.done.get(name);
    if (known) return known;
    const properties: Record<string, OpenApiSchema> = {};
    const node: MutableSchema = { type: 'object', description: name, properties };
    // Registered before the fields are walked, so a message that contains itself refers to this node.
    this.done.set(name, node);
    for (const field of type.fieldsArray) {
      const schema = this.field(field);
      properties[field.name] = schema;
      if (this.dialect === 'protojson') properties[jsonName(field)] = schema;
    }
    return node;
  }

  private value(field: protobuf.Field): OpenApiSchema {
    const resolved = field.resolvedType;
    if (resolved === null) return scalar(field.type, this.dialect);
    if ('values' in resolved) return enumSchema(resolved, this.dialect);
    return this.message(resolved);
  }

  private field(field: protobuf.Field): OpenApiSchema {
    const value = this.value(field);
    if (field.map) return { type: 'object', description: 'A map.', additionalProperties: value };
    if (field.repeated) return { type: 'array', description: 'A list.', items: value };
    return value;
  }
}

/** The schema of `type`'s JSON form in `dialect`. Messages that contain themselves are cyclic nodes. */
export function schemaOfMessage(type: protobuf.Type, dialect: JsonDialect): OpenApiSchema {
  return new SchemaBuilder(dialect).message(type);
}
