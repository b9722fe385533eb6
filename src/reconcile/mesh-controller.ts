// The MeshConfig controller wired into the runtime: an informer on MeshConfigs, label-selected informers on
// every kind meshop owns (events map to the owning MeshConfig through the meshop.dev/mesh label), and the
// reconciler behind a work queue. Kinds this cluster does not serve (an optional CRD) are not watched.
import type { KubeObject, ObjectClient, TypeRef } from '../kube/index.ts';
import { isKindNotServed } from '../kube/index.ts';
import { inventoryKinds, managedByValue, ownershipLabels } from '../render/index.ts';
import type { Logger, Manager, RuntimeMetrics } from '../runtime/index.ts';
import { Controller, Informer } from '../runtime/index.ts';
import type { CachedObjectClient, CacheSource } from '../runtime/index.ts';
import type { EventRecorder } from './events.ts';
import { meshType } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { hasReadiness } from '../apply/index.ts';
import { keepWriters } from './cache-keep.ts';
import { onlyStatusChanged } from './change-relevance.ts';
import { informedUsage } from './usage-source.ts';
import { reconcileMesh } from './mesh-reconciler.ts';
import type { ReleaseSource } from './release-source.ts';

export interface MeshControllerOptions {
  /** The API client the informers list and watch with. */
  client: ObjectClient;
  /**
   * The client the reconciler reads and writes with; reads of MeshConfigs and owned kinds are answered from the
   * informers' caches once this controller has told it about them. The plain client when not given.
   */
  cachedClient?: CachedObjectClient | undefined;
  releases: ReleaseSource;
  events: EventRecorder;
  logger: Logger;
  metrics?: RuntimeMetrics;
  concurrency?: number;
  /** Re-reconcile every MeshConfig this often even without events (a safety net; level-based anyway). */
  resyncMs?: number;
  /** Registries rendered pods may pull from; the defaults of image-policy.ts when unset. */
  allowedRegistries?: readonly string[] | undefined;
  /** Whether users' workloads may be restarted (ReconcilerDeps); unset: yes. */
  workloadRestarts?: boolean | undefined;
  /** Whether specs may grant pods more than the release renders (ReconcilerDeps); unset: no. */
  podPrivilegesFromSpec?: boolean | undefined;
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

/** The kinds whose pods a migration restarts: watched cluster-wide (apps/v1). */
const workloadKinds: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const statefulSetType: TypeRef = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
const replicaSetType: TypeRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** An informer as a cache the reconciler's client may read from. */
function cacheOf(informer: Informer, labelSelector?: string): CacheSource {
  return {
    type: informer.type,
    store: informer.store,
    hasSynced: () => informer.hasSynced(),
    onChange: (handler) => informer.onChange(handler),
    onDelete: (handler) => informer.onDelete(handler),
    labelSelector,
  };
}

/**
 * Informers on every kind meshop applies (label-selected: only ours), on workloads (cluster-wide: a migration
 * reads every workload it restarts) and on ReplicaSets (metadata only: a pod's ReplicaSet names its Deployment).
 * An event on one of ours wakes its mesh; each informer is a cache the reconciler's client reads from.
 */
async function watchOwnedKinds(
  manager: Manager,
  options: MeshControllerOptions,
  enqueue: (mesh: string) => void,
): Promise<void> {
  const { client, logger, cachedClient } = options;
  const selector = `${ownershipLabels.managedBy}=${managedByValue}`;
  const toOwner = (obj: { metadata: { labels?: Record<string, string> } }): void => {
    const owner = obj.metadata.labels?.[ownershipLabels.mesh];
    if (owner) enqueue(owner);
  };
  const watch = (
    type: TypeRef,
    how: { labelSelector?: string; metadataOnly?: boolean; keep?: (o: KubeObject) => KubeObject },
  ): Informer => {
    const informer = new Informer(client, {
      type,
      ...how,
      logger: logger.child({ component: 'informer', kind: type.kind }),
    });
    manager.add(informer);
    cachedClient?.cover(cacheOf(informer, how.labelSelector));
    return informer;
  };
  for (const type of [...inventoryKinds, statefulSetType]) {
    if (!(await served(client, type))) {
      cachedClient?.notServed(type);
      continue;
    }
    const wide = type.apiVersion === 'apps/v1' && workloadKinds.has(type.kind);
    const informer = watch(
      type,
      wide ? { keep: keepWriters } : { labelSelector: selector, keep: keepWriters },
    );
    // A status write wakes the mesh only for kinds whose status it reads (readiness).
    const readsStatus = hasReadiness(type.kind);
    informer.onChange((obj, previous) => {
      if (readsStatus || !onlyStatusChanged(obj, previous)) toOwner(obj);
    });
    informer.onDelete(toOwner);
  }
  watch(replicaSetType, { metadataOnly: true });
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
    reconcile: async (name) =>
      reconcileMesh(
        { ...options, client: options.cachedClient ?? client, usage, now: () => new Date() },
        name,
      ),
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
  options.cachedClient?.cover(cacheOf(meshes));
  await watchOwnedKinds(manager, options, (owner) => {
    controller.enqueue(owner);
  });
  manager.add(controller);
  return controller;
}
