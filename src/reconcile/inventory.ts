// The mesh's inventory: every object it applied, as `Kind namespace/name`, kept in its status. It is recorded
// before an object is first written (so a crash between the write and the status leaves no orphan), and prune
// and teardown delete only objects in it that still carry the mesh's labels: a label copied onto someone else's
// object is not enough, and a Namespace that existed before (used, never labelled) is never deleted.
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
