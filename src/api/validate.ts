// Offline validation of a MeshConfig: everything the API server would reject (schema and CEL rules, run here
// as their TypeScript twins) plus what needs meshop's own knowledge (profiles, catalogued versions).
import { MeshConfigApiVersion, MeshConfigKind, meshConfigSchema } from './mesh-config.ts';
import { checkInvariants, checkShape, isJsonObject, validationError } from './schema/index.ts';
import type { ValidationError } from './schema/index.ts';

/** What validation needs beyond the API: passed in, because profiles and the catalog live elsewhere. */
export interface ValidationContext {
  /**
   * Profile names to accept; unset leaves the check to the release (src/api/release-validation.ts), whose own
   * profile files decide.
   */
  readonly profiles?: readonly string[];
  /** Istio releases meshop can install. */
  readonly versions: readonly string[];
}

const rootPath = '';

function checkIdentity(obj: Record<string, unknown>): ValidationError[] {
  const errors: ValidationError[] = [];
  const { apiVersion, kind } = obj;
  if (apiVersion !== MeshConfigApiVersion) {
    errors.push(
      validationError('apiVersion', `must be ${MeshConfigApiVersion}, not ${JSON.stringify(apiVersion)}`),
    );
  }
  if (kind !== MeshConfigKind) {
    const hint = kind === 'IstioOperator' ? ' (meshop convert turns an IstioOperator into one)' : '';
    errors.push(validationError('kind', `must be ${MeshConfigKind}, not ${JSON.stringify(kind)}${hint}`));
  }
  return errors;
}

function checkKnown(value: unknown, known: readonly string[], path: string, what: string): ValidationError[] {
  if (typeof value !== 'string' || known.includes(value)) return [];
  const list = [...known].sort().join(', ');
  return [validationError(path, `unknown ${what} "${value}" (known: ${list === '' ? 'none' : list})`)];
}

function checkCatalog(obj: Record<string, unknown>, context: ValidationContext): ValidationError[] {
  const spec = obj.spec;
  if (!isJsonObject(spec)) return [];
  return [
    ...(context.profiles ? checkKnown(spec.profile, context.profiles, 'spec.profile', 'profile') : []),
    ...checkKnown(spec.version, context.versions, 'spec.version', 'version'),
  ];
}

/**
 * Every problem with `obj` as a MeshConfig, each naming its field path and the rule it breaks, e.g.
 * `spec.components.ingressGateways[1].name: duplicate gateway "istio-ingressgateway"`. Empty when valid.
 */
export function validateMeshConfig(obj: unknown, context: ValidationContext): ValidationError[] {
  if (!isJsonObject(obj)) return [validationError('(root)', 'must be an object')];
  return [
    ...checkIdentity(obj),
    ...checkShape(meshConfigSchema, obj, rootPath),
    ...checkInvariants(meshConfigSchema, obj, rootPath),
    ...checkCatalog(obj, context),
  ];
}
