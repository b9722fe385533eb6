// The MeshConfig a command works on: the -f files (MeshConfig documents, merged in order as istioctl merges
// several -f), then --set flags written into the spec, then validated as a whole. Every problem is reported,
// each with its field path; nothing is rendered or applied from an invalid input.
import { parseAllDocuments } from 'yaml';
import {
  MeshConfigApiVersion,
  MeshConfigKind,
  formatValidationError,
  validateMeshConfig,
} from '../api/index.ts';
import { knownVersions } from '../catalog/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { SetFlagError, applySetFlags, deepMerge, isJsonObject } from '../tree/index.ts';
import type { JsonObject, JsonValue } from '../tree/index.ts';
import { readInputFile } from './read-input.ts';
import { InputError } from './exit-codes.ts';

export interface MeshInputOptions {
  files: readonly string[];
  sets: readonly string[];
  /** metadata.name when no file names one. */
  name?: string | undefined;
}

function readText(file: string): string {
  try {
    return readInputFile(file);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`cannot read ${file}: ${why}`);
  }
}

function readDocuments(file: string): JsonObject[] {
  const text = readText(file);
  const docs = parseAllDocuments(text);
  const out: JsonObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0)
      throw new InputError(`${file}: not valid YAML: ${doc.errors[0]?.message ?? ''}`);
    const value = doc.toJS() as JsonValue | undefined;
    if (value === null || value === undefined) continue;
    if (!isJsonObject(value)) throw new InputError(`${file}: a document is not a YAML map`);
    out.push(value);
  }
  return out;
}

export function emptyMeshConfig(name: string): JsonObject {
  return { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind, metadata: { name }, spec: {} };
}

/** The validated MeshConfig the flags describe. Throws InputError listing every problem. */
export function loadMeshInput(options: MeshInputOptions): KubeObject {
  const docs = options.files.flatMap(readDocuments);
  let mesh = docs.reduce<JsonObject>(
    (acc, doc) => deepMerge(acc, doc),
    emptyMeshConfig(options.name ?? 'default'),
  );
  if (options.name !== undefined) mesh = deepMerge(mesh, { metadata: { name: options.name } });
  try {
    // A spec that is not a map stays as written, for validation to name, rather than becoming an empty one.
    const spec = mesh.spec ?? {};
    if (isJsonObject(spec)) mesh = { ...mesh, spec: applySetFlags(spec, options.sets) };
  } catch (err) {
    if (err instanceof SetFlagError) throw new InputError(err.message);
    throw err;
  }
  // Profiles are the release's: the render checks spec.profile against its files.
  const errors = validateMeshConfig(mesh, { versions: knownVersions });
  if (errors.length > 0) {
    const what = errors.length === 1 ? 'problem' : 'problems';
    throw new InputError(`invalid MeshConfig (${String(errors.length)} ${what}):`, {
      problems: errors.map(formatValidationError),
    });
  }
  return mesh as unknown as KubeObject;
}
