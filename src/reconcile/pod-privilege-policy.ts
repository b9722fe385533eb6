// A MeshConfig chooses components; it must not widen what their pods may do. Values, overlays and the pod
// security context reach the pod templates of istiod, the gateways and the CNI DaemonSet, so whoever may write a
// MeshConfig could otherwise add a container that runs with istiod's ServiceAccount, mount the node's filesystem,
// or make a container privileged. The reference is the release's own render of the same components with none of
// those settings: what its charts and profile grant is allowed, anything more is refused with the object and the
// grant, before anything is applied. The reference render is remembered per input, so a converged mesh pays for
// it once.
import { describeRef, refOf } from '../kube/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { podPrivileges } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import { isJsonArray, isJsonObject } from '../tree/index.ts';
import type { JsonValue, ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';
import type { MeshObject } from './mesh-object.ts';
import { InvalidSpecError } from './reconcile-errors.ts';
import type { ReleaseSource } from './release-source.ts';
import { renderForMesh } from './render-for-mesh.ts';

/** The settings of a spec that can change a pod template beyond what the release renders. */
const podShaping = 'spec.values, spec.unvalidatedValues, k8s.overlays or k8s.securityContext';

/** The spec without what can shape pods: Helm values anywhere, and overlays and security contexts of `k8s`. */
export function referenceSpec(spec: ReadonlyJsonObject): ReadonlyJsonObject {
  const strip = (value: ReadonlyJsonValue, inK8s: boolean): JsonValue => {
    if (isJsonArray(value)) return value.map((v) => strip(v, false));
    if (!isJsonObject(value)) return value;
    const out: Record<string, JsonValue> = {};
    for (const [key, v] of Object.entries(value)) {
      if (inK8s && (key === 'overlays' || key === 'securityContext')) continue;
      out[key] = strip(v, key === 'k8s');
    }
    return out;
  };
  const rest = Object.fromEntries(
    Object.entries(spec).filter(([key]) => key !== 'values' && key !== 'unvalidatedValues'),
  );
  return strip(rest, false) as ReadonlyJsonObject;
}

const objectKey = (obj: KubeObject): string => describeRef(refOf(obj));

/** Grants of the spec's render that the reference render of the same object lacks, one line each. */
export function widenedPrivileges(
  rendered: readonly KubeObject[],
  reference: readonly KubeObject[],
): string[] {
  const allowed = new Map(reference.map((obj) => [objectKey(obj), new Set(podPrivileges(obj))]));
  return rendered.flatMap((obj) => {
    const own = allowed.get(objectKey(obj)) ?? new Set<string>();
    return podPrivileges(obj)
      .filter((grant) => !own.has(grant))
      .map((grant) => `${objectKey(obj)}: ${grant}`);
  });
}

const rememberedReferences = 16;
const references = new Map<string, KubeObject[]>();

function referenceRender(
  mesh: MeshObject,
  spec: ReadonlyJsonObject,
  releases: ReleaseSource,
  revision: string,
): KubeObject[] {
  const key = JSON.stringify([mesh.metadata.name ?? '', revision, releases.versions, spec]);
  let objects = references.get(key);
  if (objects === undefined) {
    objects = renderForMesh({ ...mesh, spec }, releases, revision).objects;
    references.set(key, objects);
    if (references.size > rememberedReferences) references.delete(references.keys().next().value ?? '');
  }
  return objects;
}

/** Refuses a render whose pods hold more than the release's own render of the same components grants. */
export function checkPodPrivileges(
  mesh: MeshObject,
  rendered: RenderResult,
  releases: ReleaseSource,
  revision: string,
): void {
  const spec = (mesh.spec ?? {}) as ReadonlyJsonObject;
  const reference = referenceSpec(spec);
  // Nothing in the spec can shape pods: the render is its own reference.
  if (JSON.stringify(reference) === JSON.stringify(spec)) return;
  const widened = widenedPrivileges(rendered.objects, referenceRender(mesh, reference, releases, revision));
  if (widened.length === 0) return;
  throw new InvalidSpecError(
    `${podShaping} grant pods more than the release renders (the operator's --allow-pod-privileges-from-spec ` +
      `would permit it): ${widened.join('; ')}`,
  );
}
