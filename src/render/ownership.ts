// The labels that mark an object as meshop's: prune finds what it owns by them, and nothing else.
import { IstioLabel, MeshopLabel, managedByValue } from '../objects/index.ts';
import type { KubeObject } from '../objects/index.ts';

export const ownershipLabels = { ...MeshopLabel, revision: IstioLabel.revision } as const;

export { managedByValue };

export interface Owner {
  mesh: string;
  component: string;
  /** Set for objects that belong to one control-plane revision. */
  revision?: string | undefined;
  /** Set for the objects of a control-plane revision itself: its name (`default` when unrevisioned) and release. */
  controlPlane?: { revision: string; version: string } | undefined;
}

/** A copy of `obj` carrying the ownership labels (existing labels are kept; ours win on conflict). */
export function withOwnership(obj: KubeObject, owner: Owner): KubeObject {
  const labels: Record<string, string> = {
    ...obj.metadata.labels,
    [ownershipLabels.managedBy]: managedByValue,
    [ownershipLabels.mesh]: owner.mesh,
    [ownershipLabels.component]: owner.component,
  };
  if (owner.revision !== undefined) labels[ownershipLabels.revision] = owner.revision;
  if (owner.controlPlane) {
    labels[ownershipLabels.controlPlane] = owner.controlPlane.revision;
    labels[ownershipLabels.istioVersion] = owner.controlPlane.version;
  }
  return { ...obj, metadata: { ...obj.metadata, labels } };
}

/**
 * Istio's CRDs are one per cluster, whatever number of MeshConfigs render them: they carry no mesh label, or two
 * meshes would relabel them back and forth forever. They are never pruned; only a teardown with removeCRDs that
 * leaves no MeshConfig behind deletes them.
 */
export function withSharedOwnership(obj: KubeObject, component: string): KubeObject {
  const labels: Record<string, string> = {
    ...obj.metadata.labels,
    [ownershipLabels.managedBy]: managedByValue,
    [ownershipLabels.component]: component,
  };
  return { ...obj, metadata: { ...obj.metadata, labels } };
}

/** The label selector of the CRDs every mesh shares. */
export const sharedCrdSelector = `${ownershipLabels.managedBy}=${managedByValue},${ownershipLabels.component}=base`;

/** The label selector of every object of one control-plane revision of a mesh. */
export function controlPlaneSelector(mesh: string, revision: string): string {
  return `${ownedBySelector(mesh)},${ownershipLabels.controlPlane}=${revision}`;
}

/** The label selector that lists everything one mesh owns. */
export function ownedBySelector(mesh: string): string {
  return `${ownershipLabels.managedBy}=${managedByValue},${ownershipLabels.mesh}=${mesh}`;
}
