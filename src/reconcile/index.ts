// src/reconcile: the MeshConfig reconciler (render -> apply -> prune -> status), teardown, and the error table.
export { apiEventRecorder, EventType } from './events.ts';
export type { EventRecorder } from './events.ts';
export { claimOf, conflictingMesh } from './mesh-identity.ts';
export { meshFinalizer, meshRef, meshType } from './mesh-object.ts';
export type { MeshObject } from './mesh-object.ts';
export { readinessPollMs, reconcileMesh } from './mesh-reconciler.ts';
export type { ReconcileResult, ReconcilerDeps } from './mesh-reconciler.ts';
export { Retry, classify, ConflictingMeshError, InvalidSpecError } from './reconcile-errors.ts';
export { artifactsDirectory } from './release-source.ts';
export type { LoadedRelease, ReleaseSource } from './release-source.ts';
export { addMeshController } from './mesh-controller.ts';
export type { MeshControllerOptions } from './mesh-controller.ts';
export { informedUsage, listedUsage } from './usage-source.ts';
export type { UsageSnapshot, UsageSource } from './usage-source.ts';
