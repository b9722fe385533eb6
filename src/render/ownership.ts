// The labels that mark an object as meshop's: prune finds what it owns by them, and nothing else.
import type { KubeObject } from '../kube/index.ts';

export const ownershipLabels = {
  managedBy: 'app.kubernetes.io/managed-by',
  mesh: 'meshop.dev/mesh',
  component: 'meshop.dev/component',
  revision: 'istio.io/rev',
} as const;

export const managedByValue = 'meshop';

export interface Owner {
  mesh: string;
  component: string;
  /** Set for objects that belong to one control-plane revision. */
  revision?: string | undefined;
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
  return { ...obj, metadata: { ...obj.metadata, labels } };
}

/** The label selector that lists everything one mesh owns. */
export function ownedBySelector(mesh: string): string {
  return `${ownershipLabels.managedBy}=${managedByValue},${ownershipLabels.mesh}=${mesh}`;
}
