// An IstioOperator's metadata on its way to a cluster-scoped MeshConfig: labels and user annotations carry over;
// the namespace, the API server's bookkeeping and what only Istio's in-cluster operator reads do not.
import type { ObjectMeta } from '../objects/index.ts';
import { isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonValue } from '../tree/index.ts';
import type { DroppedField } from './dropped-field.ts';
import { formatFieldPath } from './field-path.ts';

export interface MetadataConversion {
  /** Labels and annotations only; the caller chooses the name. */
  readonly metadata: ObjectMeta;
  readonly dropped: DroppedField[];
  readonly notes: string[];
}

// Written by the API server for the IstioOperator object; a new MeshConfig gets its own.
const serverSetFields: ReadonlySet<string> = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

// Annotations under this prefix steer Istio's in-cluster operator (e.g. install.istio.io/ignoreReconcile).
const istioOperatorAnnotationPrefix = 'install.istio.io/';
// kubectl's copy of the last applied IstioOperator: it describes the old object, not the new one.
const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

const droppedFieldReasons: Readonly<Record<string, string>> = {
  finalizers: "finalizers belong to the controller that added them; meshop adds the MeshConfig's own",
  ownerReferences: 'owner references tie the IstioOperator to other objects; a MeshConfig is owned by none',
  generateName: 'a converted MeshConfig has a fixed name',
};

class MetadataBuilder {
  readonly metadata: ObjectMeta = {};
  readonly dropped: DroppedField[] = [];
  readonly notes: string[] = [];
  readonly serverSet: string[] = [];

  drop(segments: readonly string[], reason: string): void {
    this.dropped.push({ path: formatFieldPath(['metadata', ...segments]), reason });
  }

  /** The string entries of a labels or annotations map; others are reported. */
  strings(key: string, value: ReadonlyJsonValue, keep: (name: string) => boolean): Record<string, string> {
    const out: Record<string, string> = {};
    if (!isJsonObject(value)) {
      this.drop([key], 'must be a map of strings');
      return out;
    }
    for (const [name, item] of Object.entries(value)) {
      if (!keep(name)) continue;
      if (typeof item === 'string') out[name] = item;
      else this.drop([key, name], 'must be a string');
    }
    return out;
  }
}

function keepAnnotation(builder: MetadataBuilder, name: string): boolean {
  if (name === lastAppliedAnnotation) {
    builder.notes.push(`metadata.annotations["${name}"] not carried over: it describes the IstioOperator`);
    return false;
  }
  if (!name.startsWith(istioOperatorAnnotationPrefix)) return true;
  builder.drop(['annotations', name], "read only by Istio's in-cluster operator; meshop does not act on it");
  return false;
}

type FieldHandler = (builder: MetadataBuilder, value: ReadonlyJsonValue) => void;

const handlers: Readonly<Record<string, FieldHandler>> = {
  name: () => undefined,
  namespace: (builder, value) => {
    builder.notes.push(
      `metadata.namespace ${JSON.stringify(value)} not carried over: a MeshConfig is cluster-scoped`,
    );
  },
  labels: (builder, value) => {
    const labels = builder.strings('labels', value, () => true);
    if (Object.keys(labels).length > 0) builder.metadata.labels = labels;
  },
  annotations: (builder, value) => {
    const annotations = builder.strings('annotations', value, (name) => keepAnnotation(builder, name));
    if (Object.keys(annotations).length > 0) builder.metadata.annotations = annotations;
  },
};

function convertField(builder: MetadataBuilder, key: string, value: ReadonlyJsonValue): void {
  const handler = handlers[key];
  if (handler) handler(builder, value);
  else if (serverSetFields.has(key)) builder.serverSet.push(`metadata.${key}`);
  else builder.drop([key], droppedFieldReasons[key] ?? 'not part of a MeshConfig');
}

/** What of `metadata` a MeshConfig keeps, and a report of the rest. */
export function convertMetadata(metadata: ReadonlyJsonValue | undefined): MetadataConversion {
  const builder = new MetadataBuilder();
  if (isJsonObject(metadata)) {
    for (const [key, value] of Object.entries(metadata)) convertField(builder, key, value);
  }
  if (builder.serverSet.length > 0) {
    builder.notes.push(`not carried over (kept by the API server): ${builder.serverSet.join(', ')}`);
  }
  return { metadata: builder.metadata, dropped: builder.dropped, notes: builder.notes };
}
