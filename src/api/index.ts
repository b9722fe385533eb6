// src/api: the MeshConfig API: types derived from one schema, the CRD generated from it, defaults and offline
// validation. No I/O.
export * from './annotations.ts';
export * from './components.ts';
export * from './crd-manifests.ts';
export * from './crd.ts';
export * from './defaults.ts';
export * from './duration.ts';
export * from './kubernetes-resources.ts';
export * from './mesh-config-spec.ts';
export * from './mesh-config-status.ts';
export * from './mesh-config.ts';
export * from './names.ts';
export type * from './types.ts';
export * from './validate.ts';
export * from './release-validation.ts';
export { parseQuantity } from './quantity.ts';
export { closestName, formatValidationError } from './schema/index.ts';
export type { ValidationError } from './schema/index.ts';
