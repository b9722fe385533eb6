// Which existing objects a mesh may write over. meshop never takes over an object it did not create: an istiod
// installed by istioctl or Helm, or a user's Service named like a gateway, stops the reconcile with `Conflict`
// naming it, unless the MeshConfig asks to adopt (annotation meshop.dev/adopt-existing: "true"); an object of
// another MeshConfig is never taken, adopt or not, so two meshes can never render the same object. A Namespace
// that exists already is used as it is and left alone: it is not the mesh's, so prune never deletes it.
import { IstioLabel } from '../objects/index.ts';
import { adoptExistingAnnotation as adoptAnnotation } from '../api/index.ts';
import type { ClaimCheck, ClaimDecision } from '../apply/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { managedByValue, ownershipLabels } from '../render/index.ts';

const apply: ClaimDecision = { kind: 'apply' };

/** Who wrote an object, for the message: its managed-by label, else its field managers. */
function writerOf(live: KubeObject): string {
  const label = live.metadata.labels?.[ownershipLabels.managedBy];
  if (label) return label;
  const managers = (live.metadata.managedFields ?? [])
    .map((f) => f.manager)
    .filter((m): m is string => typeof m === 'string');
  return [...new Set(managers)].join(', ') || 'unknown';
}

/** The MeshConfig a meshop-made object belongs to, '' for meshop's shared objects, undefined when not meshop's. */
function meshopOwner(live: KubeObject): string | undefined {
  const labels = live.metadata.labels ?? {};
  if (labels[ownershipLabels.managedBy] !== managedByValue) return undefined;
  return labels[ownershipLabels.mesh] ?? '';
}

/**
 * A revision tag's injector that `istioctl tag set` made for the tag the spec declares: declaring the tag in
 * `spec.revisionTags` is the explicit intent to own it, as `istioctl tag set` itself overwrites it.
 */
function sameRevisionTag(desired: KubeObject, live: KubeObject): boolean {
  const tag = desired.metadata.labels?.[IstioLabel.tag];
  return (
    desired.kind === 'MutatingWebhookConfiguration' &&
    tag !== undefined &&
    live.metadata.labels?.[IstioLabel.tag] === tag
  );
}

export function claimCheck(mesh: KubeObject): ClaimCheck {
  const name = mesh.metadata.name ?? '';
  const adopt = mesh.metadata.annotations?.[adoptAnnotation] === 'true';
  return (desired, live) => {
    if (!live) return apply;
    const owned = meshopOwner(live);
    // Istio's CRDs are shared by every mesh (they carry no mesh label).
    if (owned === name || (owned === '' && desired.kind === 'CustomResourceDefinition')) return apply;
    if (owned) return { kind: 'conflict', reason: `owned by MeshConfig ${owned}` };
    if (desired.kind === 'Namespace') return { kind: 'leave' };
    if (adopt || sameRevisionTag(desired, live)) return { kind: 'adopt' };
    return {
      kind: 'conflict',
      reason: `not created by meshop (written by ${writerOf(live)}); annotate the MeshConfig ${adoptAnnotation}=true to adopt it`,
    };
  };
}
