// The MeshConfig controller wired into the runtime: an informer on MeshConfigs, label-selected informers on
// every kind meshop owns (events map to the owning MeshConfig through the meshop.dev/mesh label), and the
// reconciler behind a work queue. Kinds this cluster does not serve (an optional CRD) are not watched.
import type { ObjectClient, TypeRef } from '../kube/index.ts';
import { isKindNotServed } from '../kube/index.ts';
import { inventoryKinds, managedByValue, ownershipLabels } from '../render/index.ts';
import type { Logger, Manager, RuntimeMetrics } from '../runtime/index.ts';
import { Controller, Informer } from '../runtime/index.ts';
import type { EventRecorder } from './events.ts';
import { meshType } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { informedUsage } from './usage-source.ts';
import { reconcileMesh } from './mesh-reconciler.ts';
import type { ReleaseSource } from './release-source.ts';

export interface MeshControllerOptions {
  client: ObjectClient;
  releases: ReleaseSource;
  events: EventRecorder;
  logger: Logger;
  metrics?: RuntimeMetrics;
  concurrency?: number;
  /** Re-reconcile every MeshConfig this often even without events (a safety net; level-based anyway). */
  resyncMs?: number;
  /** Registries rendered pods may pull from; the defaults of image-policy.ts when unset. */
  allowedRegistries?: readonly string[] | undefined;
}

function refersToMesh(mesh: MeshObject, values: readonly string[]): boolean {
  const status = mesh.status;
  if (!status) return false;
  const names = new Set([
    ...(status.revisions ?? []).map((r) => r.name),
    ...Object.keys(status.tags ?? {}),
    ...(status.activeRevision ? [status.activeRevision] : []),
  ]);
  return values.some((v) => names.has(v));
}

async function served(client: ObjectClient, type: TypeRef): Promise<boolean> {
  try {
    await client.discovery.resource(type);
    return true;
  } catch (err) {
    if (isKindNotServed(err)) return false;
    throw err;
  }
}

export async function addMeshController(
  manager: Manager,
  options: MeshControllerOptions,
): Promise<Controller> {
  const { client, logger } = options;
  const usage = informedUsage(client, manager, logger);
  const meshes = new Informer(client, {
    type: meshType,
    logger: logger.child({ component: 'informer', kind: 'MeshConfig' }),
  });
  const controller = new Controller({
    name: 'meshconfig',
    concurrency: options.concurrency ?? 1,
    keys: () => meshes.store.keys(),
    resyncMs: options.resyncMs ?? 600_000,
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    reconcile: async (name) => reconcileMesh({ ...options, usage, now: () => new Date() }, name),
  });
  // A namespace or pod that starts or stops using a revision matters only to meshes with that revision (or a
  // tag of that name): those are looked at again, no other.
  usage.onChange?.((values) => {
    for (const mesh of meshes.store.list()) {
      if (refersToMesh(mesh, values)) controller.enqueue(mesh.metadata.name ?? '');
    }
  });
  meshes.onChange((mesh) => {
    controller.enqueue(mesh.metadata.name ?? '');
  });
  meshes.onDelete((mesh) => {
    controller.enqueue(mesh.metadata.name ?? '');
  });
  manager.add(meshes);
  const selector = `${ownershipLabels.managedBy}=${managedByValue}`;
  const toOwner = (obj: { metadata: { labels?: Record<string, string> } }): void => {
    const owner = obj.metadata.labels?.[ownershipLabels.mesh];
    if (owner) controller.enqueue(owner);
  };
  for (const type of inventoryKinds) {
    if (!(await served(client, type))) continue;
    const informer = new Informer(client, {
      type,
      labelSelector: selector,
      logger: logger.child({ component: 'informer', kind: type.kind }),
    });
    informer.onChange(toOwner);
    informer.onDelete(toOwner);
    manager.add(informer);
  }
  manager.add(controller);
  return controller;
}
