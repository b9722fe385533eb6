// The mesh's inventory: every object it applied, as `Kind namespace/name`, kept in its status. It is recorded
// before an object is first written (so a crash between the write and the status leaves no orphan), and prune
// and teardown delete only objects in it that still carry the mesh's labels: a label copied onto someone else's
// object is not enough, and a Namespace that existed before (used, never labelled) is never deleted. Objects the
// mesh took over from someone else (annotation meshop.dev/adopt-existing) are listed apart, in status.adopted.
import { pruneCandidates } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import { inventoryKinds } from '../render/index.ts';
import { meshRef, ownedSelectorOf } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';

export const inventoryRef = (obj: KubeObject): string => describeRef(refOf(obj));

/** Istio's CRDs are shared by every mesh; they are never any one mesh's to prune. */
const recorded = (obj: KubeObject): boolean => obj.kind !== 'CustomResourceDefinition';

/**
 * The inventory in the mesh's status; for a mesh from before the inventory existed, what its labels select (once:
 * the next status write records it).
 */
export async function inventoryOf(client: ObjectClient, mesh: MeshObject): Promise<Set<string>> {
  const stored = mesh.status?.inventory;
  if (stored !== undefined) return new Set(stored);
  const owned = await pruneCandidates(client, {
    selector: ownedSelectorOf(mesh),
    kinds: inventoryKinds,
    keep: new Set(),
  });
  return new Set(owned.filter(recorded).map(inventoryRef));
}

/** The inventory with `objects` added, written to the status first when that adds anything. */
export async function recordBeforeApply(
  client: ObjectClient,
  mesh: MeshObject,
  inventory: ReadonlySet<string>,
  objects: readonly KubeObject[],
): Promise<Set<string>> {
  const next = new Set(inventory);
  for (const obj of objects) if (recorded(obj)) next.add(inventoryRef(obj));
  const stored = mesh.status?.inventory;
  if (stored !== undefined && next.size === inventory.size) return next;
  await client.patchStatus(meshRef(mesh.metadata.name ?? ''), { status: { inventory: [...next].sort() } });
  return next;
}

/** The objects this mesh took over (status.adopted), with `adopting` added. */
export const adoptedWith = (mesh: MeshObject, adopting: readonly string[]): string[] =>
  [...new Set([...(mesh.status?.adopted ?? []), ...adopting])].sort();

/**
 * Records objects about to be taken over before the first of them is written, as the inventory is: a crash after
 * the write would otherwise lose the record, since the next pass finds them already carrying the mesh's labels.
 */
export async function recordAdoption(
  client: ObjectClient,
  mesh: MeshObject,
  adopting: readonly string[],
): Promise<void> {
  const known = new Set(mesh.status?.adopted ?? []);
  if (adopting.every((ref) => known.has(ref))) return;
  await client.patchStatus(meshRef(mesh.metadata.name ?? ''), {
    status: { adopted: adoptedWith(mesh, adopting) },
  });
}

/** What stays recorded as adopted: what the mesh took over and still has in its inventory. */
export const adoptedStill = (
  mesh: MeshObject,
  adopted: readonly string[],
  inventory: readonly string[] = [],
) => {
  const applied = new Set(inventory);
  return adoptedWith(mesh, adopted).filter((ref) => applied.has(ref));
};
