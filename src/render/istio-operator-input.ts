// A MeshConfig spec as istioctl would see the IstioOperator it mirrors: the release's own profile files layered
// under the user's fields, the release's images, and the top-level fields copied to the Helm values the charts
// read. Lowest to highest precedence (istioctl's order):
//   the release's `default` profile < the chosen profile < the release's hub/tag < the user's spec
//   < the translations below < the user's own `values` again (so `values.pilot.cni.enabled` wins over the
//     enablement copied from `components.cni`).
// Maps merge, lists replace, a null removes what a lower layer set. meshop's own fields (version, addons,
// revisionTags, upgrade...) are not IstioOperator fields and stay out of the values.
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import { layeredProfile, profileOf } from '../profiles/index.ts';
import { deepMerge, getPath, isJsonObject } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';
import { asTree as tree } from './values.ts';

/** The IstioOperator spec fields a MeshConfig shares; the rest of its spec is meshop's. */
const istioOperatorFields = [
  'profile',
  'hub',
  'tag',
  'revision',
  'meshConfig',
  'values',
  'unvalidatedValues',
  'components',
  'compatibilityVersion',
] as const;

const defaultNamespace = 'istio-system';

export interface IstioOperatorInput {
  /** The merged spec: components, values (Helm values for every chart), meshConfig... */
  spec: JsonObject;
  /** The control-plane namespace (metadata.namespace of the merged IstioOperator). */
  namespace: string;
}

function pick(spec: ReadonlyJsonObject): JsonObject {
  const out: JsonObject = {};
  for (const field of istioOperatorFields) {
    const value = spec[field];
    if (value !== undefined) out[field] = value as JsonObject[string];
  }
  return out;
}

function isTrue(value: ReadonlyJsonValue | undefined): boolean {
  return value === true;
}

/**
 * The merged IstioOperator for a MeshConfig spec. `userSpec.namespace` (meshop's field) names the control-plane
 * namespace; istioctl takes it from metadata.namespace or `values.global.istioNamespace`.
 */
export function mergeIstioOperator(
  userSpec: ReadonlyJsonObject,
  release: IstioRelease,
  artifacts: IstioArtifacts,
): IstioOperatorInput {
  let doc = layeredProfile(artifacts.profiles, profileOf(userSpec, artifacts.profiles));
  // The release's published images: a release build of istioctl has them compiled in (hubTagOverlay).
  doc = deepMerge(doc, { spec: { hub: release.hub, tag: release.tag } });
  const user = pick(userSpec);
  const userValues = tree(userSpec.values);
  if (typeof userSpec.namespace === 'string' && userSpec.namespace !== '') {
    doc = deepMerge(doc, { metadata: { namespace: userSpec.namespace } });
    // The charts know the namespace only from this value.
    if (getPath(userValues, 'global.istioNamespace') === undefined) {
      doc = deepMerge(doc, { spec: { values: { global: { istioNamespace: userSpec.namespace } } } });
    }
  }
  doc = deepMerge(doc, { spec: user });
  const spec = translateToValues(tree(doc.spec));
  if (isJsonObject(spec.unvalidatedValues))
    spec.values = deepMerge(tree(spec.values), spec.unvalidatedValues);
  spec.values = deepMerge(tree(spec.values), userValues);
  const namespace = [getPath(spec, 'values.global.istioNamespace'), getPath(doc, 'metadata.namespace')].find(
    (n): n is string => typeof n === 'string' && n !== '',
  );
  return { spec, namespace: namespace ?? defaultNamespace };
}

/** The top-level fields the charts read as values, and component enablement that other charts depend on. */
function translateToValues(spec: ReadonlyJsonObject): JsonObject {
  const values: JsonObject = deepMerge({}, tree(spec.values));
  const global = deepMerge({}, tree(values.global));
  if (spec.hub !== undefined && spec.hub !== null) global.hub = spec.hub as string;
  if (spec.tag !== undefined && spec.tag !== null) global.tag = spec.tag as string;
  values.global = global;
  if (typeof spec.revision === 'string') values.revision = spec.revision;
  if (isJsonObject(spec.meshConfig)) values.meshConfig = deepMerge(tree(values.meshConfig), spec.meshConfig);
  if (spec.compatibilityVersion !== undefined && spec.compatibilityVersion !== null) {
    values.compatibilityVersion = spec.compatibilityVersion as string;
  }
  const components = tree(spec.components);
  values.pilot = deepMerge(tree(values.pilot), {
    enabled: isTrue(tree(components.pilot).enabled),
    cni: { enabled: isTrue(tree(components.cni).enabled) },
  });
  return { ...deepMerge({}, spec), values };
}
