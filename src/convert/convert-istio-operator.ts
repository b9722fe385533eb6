// IstioOperator -> MeshConfig. The spec carries over as it is (a MeshConfig spec accepts every IstioOperator
// field); what MeshConfig validation still rejects is removed and reported, never dropped silently.
import { MeshConfigApiVersion, MeshConfigKind } from '../api/index.ts';
import type { KubeObject } from '../objects/index.ts';
import { isJsonObject } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../tree/index.ts';
import type { DroppedField } from './dropped-field.ts';
import { formatFieldPath } from './field-path.ts';
import { readIstioOperator } from './istio-operator.ts';
import { convertMetadata } from './metadata.ts';
import { pruneInvalid } from './prune-invalid.ts';
import { inferVersion } from './version-inference.ts';
import type { CataloguedTag } from './version-inference.ts';

export interface ConvertContext {
  /** The MeshConfig's name. Unset: the IstioOperator's, else `default`. */
  readonly name?: string | undefined;
  /** Built-in profile names, for validating `spec.profile`. */
  readonly profiles: readonly string[];
  /** Catalogued releases, for validating `spec.version` and inferring it from `spec.tag`. */
  readonly releases: readonly CataloguedTag[];
}

export interface ConversionResult {
  readonly meshConfig: KubeObject;
  /** Input fields left out, in the order found. */
  readonly dropped: DroppedField[];
  /** What changed without losing configuration (namespace, inferred version, status). */
  readonly notes: string[];
}

const defaultName = 'default';
const carriedTopLevel: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata', 'spec']);

function nameOf(iop: ReadonlyJsonObject, context: ConvertContext): string {
  if (context.name !== undefined) return context.name;
  const name = isJsonObject(iop.metadata) ? iop.metadata.name : undefined;
  return typeof name === 'string' && name !== '' ? name : defaultName;
}

/** Top-level fields other than the four a MeshConfig is made of. */
function reportTopLevel(iop: ReadonlyJsonObject): { dropped: DroppedField[]; notes: string[] } {
  const dropped: DroppedField[] = [];
  const notes: string[] = [];
  for (const key of Object.keys(iop)) {
    if (carriedTopLevel.has(key)) continue;
    if (key === 'status') {
      notes.push(
        "status not carried over: it is the Istio operator's view; meshop reports the MeshConfig's own",
      );
    } else {
      dropped.push({ path: formatFieldPath([key]), reason: 'not part of an IstioOperator' });
    }
  }
  return { dropped, notes };
}

/** The MeshConfig an IstioOperator describes; throws ConversionError when `doc` is not an IstioOperator. */
export function convertIstioOperator(doc: unknown, context: ConvertContext): ConversionResult {
  const iop = readIstioOperator(doc, 'input');
  const topLevel = reportTopLevel(iop);
  const metadata = convertMetadata(iop.metadata);
  const name = nameOf(iop, context);
  const candidate: JsonObject = {
    apiVersion: MeshConfigApiVersion,
    kind: MeshConfigKind,
    metadata: { name },
    spec: iop.spec ?? {},
  };
  const versions = context.releases.map((r) => r.version);
  const pruned = pruneInvalid(candidate, { profiles: context.profiles, versions });
  const inferred = inferVersion(
    isJsonObject(pruned.meshConfig.spec) ? pruned.meshConfig.spec : {},
    context.releases,
  );
  return {
    meshConfig: {
      apiVersion: MeshConfigApiVersion,
      kind: MeshConfigKind,
      metadata: { name, ...metadata.metadata },
      spec: inferred.spec,
    },
    dropped: [...topLevel.dropped, ...metadata.dropped, ...pruned.dropped],
    notes: [...metadata.notes, ...topLevel.notes, ...(inferred.note === undefined ? [] : [inferred.note])],
  };
}
