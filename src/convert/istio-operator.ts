// What makes a document an IstioOperator, and how several of them combine (istioctl's repeated -f).
import { deepMerge, isJsonObject } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../tree/index.ts';
import { ConversionError } from './conversion-error.ts';
import { toJsonTree } from './json-tree.ts';

export const IstioOperatorApiVersion = 'install.istio.io/v1alpha1';
export const IstioOperatorKind = 'IstioOperator';

function describeIdentity(doc: ReadonlyJsonObject): string {
  const { apiVersion, kind } = doc;
  if (kind === 'MeshConfig') return 'it is already a MeshConfig';
  return `found apiVersion ${JSON.stringify(apiVersion ?? null)}, kind ${JSON.stringify(kind ?? null)}`;
}

/**
 * `doc` as an IstioOperator JSON tree; throws ConversionError naming `source` when it is anything else.
 * Only the identity is checked here: the spec's fields are judged by MeshConfig validation during conversion.
 */
export function readIstioOperator(doc: unknown, source: string): JsonObject {
  const tree = toJsonTree(doc, source);
  const expected = `expected apiVersion ${IstioOperatorApiVersion}, kind ${IstioOperatorKind}`;
  if (!isJsonObject(tree)) {
    throw new ConversionError(`${source}: not an IstioOperator (${expected}; found no object)`);
  }
  if (tree.apiVersion !== IstioOperatorApiVersion || tree.kind !== IstioOperatorKind) {
    throw new ConversionError(`${source}: not an IstioOperator (${expected}; ${describeIdentity(tree)})`);
  }
  return tree;
}

/** Several IstioOperators as one, each merged over the ones before it (maps merge, lists and scalars replace). */
export function mergeIstioOperators(docs: readonly ReadonlyJsonObject[]): JsonObject {
  return docs.reduce<JsonObject>((merged, doc) => deepMerge(merged, doc), {});
}
