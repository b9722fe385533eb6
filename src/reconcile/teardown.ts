// Teardown on deletion of a MeshConfig: everything it owns goes, in reverse apply order, and the finalizer is
// released only when it is all gone. Istio's CRDs stay (and with them every user's VirtualService, Gateway...)
// unless spec.teardown.removeCRDs; a namespace goes only when nothing but our objects was in it.
import { pruneCandidates } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { describeRef, isNotFound, refOf } from '../kube/index.ts';
import { inventoryKinds, sharedCrdSelector } from '../render/index.ts';
import { EventType } from './events.ts';
import type { EventRecorder } from './events.ts';
import { meshFinalizer, meshRef, meshType, ownedSelectorOf } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { namespaceHoldsOthers } from './namespace-guard.ts';
import { ConditionReason, ConditionType } from '../api/index.ts';
import { conditionOf } from './conditions.ts';
import { refusedStatus, statusPatch } from './mesh-status.ts';
import { teardownBlocker } from './teardown-guard.ts';
import type { UsageSource } from './usage-source.ts';

export interface TeardownDeps {
  client: ObjectClient;
  events: EventRecorder;
  usage: UsageSource;
  now: () => Date;
}

/** How often a blocked teardown looks again, besides the namespace and pod events that may unblock it. */
const blockedPollMs = 10_000;

async function reportBlocked(deps: TeardownDeps, mesh: MeshObject, message: string): Promise<void> {
  const previous = conditionOf(mesh.status?.conditions, ConditionType.Reconciled);
  const status = refusedStatus(
    { previous: mesh.status, generation: mesh.metadata.generation ?? 0, now: deps.now().toISOString() },
    ConditionReason.TeardownBlocked,
    message,
  );
  const patch = statusPatch(mesh.status, status);
  if (patch) await deps.client.patchStatus(meshRef(mesh.metadata.name ?? ''), patch);
  // Compared with the condition as stored (its message may have been cut to the API's limit), not the raw text.
  const current = conditionOf(status.conditions, ConditionType.Reconciled);
  if (previous?.reason !== ConditionReason.TeardownBlocked || previous.message !== current?.message) {
    await deps.events.record(mesh, EventType.Warning, ConditionReason.TeardownBlocked, message);
  }
}

const pollMs = 1000;

async function deleteQuietly(client: ObjectClient, obj: KubeObject): Promise<void> {
  if (obj.metadata.deletionTimestamp) return;
  // Foreground: a workload disappears only after its pods, so "all gone" means the pods are gone too.
  const propagationPolicy = ['Deployment', 'DaemonSet', 'StatefulSet'].includes(obj.kind)
    ? 'Foreground'
    : 'Background';
  try {
    await client.delete(refOf(obj), { propagationPolicy });
  } catch (err) {
    if (!isNotFound(err))
      throw new Error(`delete ${describeRef(refOf(obj))}: ${(err as Error).message}`, { cause: err });
  }
}

async function releaseFinalizer(client: ObjectClient, mesh: MeshObject): Promise<void> {
  const finalizers = (mesh.metadata.finalizers ?? []).filter((f) => f !== meshFinalizer);
  // resourceVersion makes this a compare-and-swap: never drop a finalizer someone added meanwhile.
  await client.mergePatch(meshRef(mesh.metadata.name ?? ''), {
    metadata: { finalizers, resourceVersion: mesh.metadata.resourceVersion },
  });
}

const crdType = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' };

/**
 * The shared Istio CRDs go only with spec.teardown.removeCRDs, and only when this is the last MeshConfig: the
 * CRDs (and every user's Istio resource with them) serve all meshes of the cluster.
 */
async function crdsToRemove(client: ObjectClient, mesh: MeshObject): Promise<KubeObject[]> {
  const removeCRDs = (mesh.spec?.teardown as { removeCRDs?: boolean } | undefined)?.removeCRDs === true;
  if (!removeCRDs) return [];
  const others = (await client.list(meshType)).items.filter((m) => m.metadata.name !== mesh.metadata.name);
  if (others.length > 0) return [];
  return (await client.list(crdType, { labelSelector: sharedCrdSelector })).items;
}

/** What the mesh applied (its inventory, inventory.ts) and still carries its labels, plus CRDs to remove. */
async function ownedObjects(client: ObjectClient, mesh: MeshObject): Promise<KubeObject[]> {
  const applied = mesh.status?.inventory;
  const owned = await pruneCandidates(client, {
    selector: ownedSelectorOf(mesh),
    kinds: inventoryKinds,
    keep: new Set(),
    // A mesh from before the inventory existed goes by its labels alone.
    ...(applied === undefined ? {} : { applied: new Set(applied) }),
  });
  return [...owned, ...(await crdsToRemove(client, mesh))];
}

/** Namespaces last, and only those with nothing but our objects inside; returns how many are going. */
async function deleteNamespaces(client: ObjectClient, namespaces: readonly KubeObject[]): Promise<number> {
  let going = 0;
  for (const ns of namespaces) {
    if (await namespaceHoldsOthers(client, ns.metadata.name ?? '')) continue;
    await deleteQuietly(client, ns);
    going++;
  }
  return going;
}

/** Returns the delay after which to look again, or undefined when teardown is complete. */
export async function teardownMesh(deps: TeardownDeps, mesh: MeshObject): Promise<number | undefined> {
  if (!mesh.metadata.finalizers?.includes(meshFinalizer)) return undefined;
  const owned = await ownedObjects(deps.client, mesh);
  const started = owned.some((o) => o.metadata.deletionTimestamp);
  if (!started) {
    const blocker = await teardownBlocker(deps, mesh);
    if (blocker !== undefined) {
      await reportBlocked(deps, mesh, blocker);
      return blockedPollMs;
    }
  }
  if (owned.length > 0 && !started) {
    await deps.events.record(
      mesh,
      EventType.Normal,
      'TeardownStarted',
      `removing ${String(owned.length)} objects`,
    );
  }
  const others = owned.filter((o) => o.kind !== 'Namespace');
  for (const obj of others) await deleteQuietly(deps.client, obj);
  if (others.length > 0) return pollMs;
  if (
    (await deleteNamespaces(
      deps.client,
      owned.filter((o) => o.kind === 'Namespace'),
    )) > 0
  )
    return pollMs;
  await releaseFinalizer(deps.client, mesh);
  await deps.events.record(mesh, EventType.Normal, 'TeardownFinished', 'every owned object is gone');
  return undefined;
}
