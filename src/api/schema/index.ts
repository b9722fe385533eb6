// src/api/schema: typed builders for Kubernetes structural schemas, the offline checks that read them, and the
// conversion to a CRD's openAPIV3Schema.
export * from './builders.ts';
export * from './closest-name.ts';
export * from './invariant-check.ts';
export * from './openapi-schema.ts';
export * from './shape-check.ts';
export * from './protobuf-schema.ts';
export * from './to-crd-schema.ts';
export * from './validation-error.ts';
