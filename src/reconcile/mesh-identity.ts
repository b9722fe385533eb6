// Which control plane a MeshConfig claims: its namespace and revision. Two MeshConfigs must never claim the same
// one, or each would prune the other's objects; the older claim wins.
import type { KubeObject } from '../kube/index.ts';
import type { MeshConfigSpec } from '../api/index.ts';
import { controlPlaneOf } from '../revisions/index.ts';
import type { ControlPlane } from '../revisions/index.ts';

export type MeshClaim = ControlPlane;

/** The control plane the MeshConfig claims (src/revisions decides it, for the renderer too). */
export function claimOf(mesh: KubeObject): MeshClaim {
  return controlPlaneOf(mesh.metadata.name ?? '', mesh.spec as MeshConfigSpec | undefined);
}

function olderThan(a: KubeObject, b: KubeObject): boolean {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta !== tb ? ta < tb : (a.metadata.name ?? '') < (b.metadata.name ?? '');
}

/** The older MeshConfig that claims the same control plane as `mesh`, if any. */
export function conflictingMesh(mesh: KubeObject, all: readonly KubeObject[]): KubeObject | undefined {
  const mine = claimOf(mesh);
  return all.find((other) => {
    if (other.metadata.name === mesh.metadata.name || other.metadata.deletionTimestamp) return false;
    const theirs = claimOf(other);
    return theirs.namespace === mine.namespace && theirs.revision === mine.revision && olderThan(other, mesh);
  });
}
