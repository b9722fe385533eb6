// The MeshConfig reconciler: read the MeshConfig, render it, apply in phases, prune what is no longer rendered,
// then write status once. Level-based: it never learns which event woke it, and running it again on a converged
// mesh writes nothing.
import type { MeshConfigSpec, MeshConfigStatus } from '../api/index.ts';
import { ConditionType } from '../api/index.ts';
import { applyPhases, planPhases } from '../apply/index.ts';
import type { ApplyRun } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { phasedObjects } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import { componentStatuses } from './component-status.ts';
import { conditionOf } from './conditions.ts';
import { EventType } from './events.ts';
import type { EventRecorder } from './events.ts';
import { conflictingMesh } from './mesh-identity.ts';
import { claimCheck } from './object-claims.ts';
import { adoptedStill, inventoryOf, recordAdoption, recordBeforeApply } from './inventory.ts';
import { meshFinalizer, meshRef, meshType } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { appliedStatus, refusedStatus, statusPatch, withMigrationConditions } from './mesh-status.ts';
import type { StatusInput } from './mesh-status.ts';
import { ConflictingMeshError, InvalidSpecError, Retry, classify } from './reconcile-errors.ts';
import { defaultAllowedRegistries, disallowedImages } from './image-policy.ts';
import { checkPodPrivileges } from './pod-privilege-policy.ts';
import type { ReleaseSource } from './release-source.ts';
import { renderForMesh } from './render-for-mesh.ts';
import { planRevisions, pruneStep, revisionOutcome } from './revision-stage.ts';
import {
  checkTagNames,
  checkVersionSkew,
  observeRevisions,
  revisionsAfterApply,
  revisionTarget,
} from './revision-state.ts';
import { teardownMesh } from './teardown.ts';
import type { UsageSource } from './usage-source.ts';

export interface ReconcilerDeps {
  client: ObjectClient;
  releases: ReleaseSource;
  events: EventRecorder;
  usage: UsageSource;
  now: () => Date;
  /** Registries rendered pods may pull from (image-policy.ts); its defaults when unset. */
  allowedRegistries?: readonly string[] | undefined;
  /**
   * Whether the operator may restart users' workloads (false with its --no-workload-restarts, when the installer bound
   * no rights to). Unset: it may.
   */
  workloadRestarts?: boolean | undefined;
  /**
   * Whether a spec's values and overlays may grant pods more than the release renders (pod-privilege-policy.ts;
   * the operator's --allow-pod-privileges-from-spec). Unset: no.
   */
  podPrivilegesFromSpec?: boolean | undefined;
}

export interface ReconcileResult {
  /** Look again after this long (a rollout in progress, a teardown waiting for deletions). */
  requeueAfterMs?: number;
}

/** How often a mesh that is still becoming ready is looked at, besides the events of its objects. */
export const readinessPollMs = 5000;

async function ensureFinalizer(client: ObjectClient, mesh: MeshObject): Promise<void> {
  const finalizers = mesh.metadata.finalizers ?? [];
  if (finalizers.includes(meshFinalizer)) return;
  await client.mergePatch(meshRef(mesh.metadata.name ?? ''), {
    metadata: { finalizers: [...finalizers, meshFinalizer], resourceVersion: mesh.metadata.resourceVersion },
  });
}

async function checkConflict(client: ObjectClient, mesh: MeshObject): Promise<void> {
  const all = (await client.list(meshType)).items;
  const other = conflictingMesh(mesh, all);
  if (other) {
    throw new ConflictingMeshError(
      `MeshConfig ${other.metadata.name ?? ''} already manages this control plane (same namespace and revision)`,
    );
  }
}

/** Every rendered image must come from an allowed registry; the spec (hub, tag, values) chose them. */
function checkImages(rendered: RenderResult, allowed: readonly string[]): void {
  const refused = disallowedImages(rendered.objects, allowed);
  if (refused.length === 0) return;
  throw new InvalidSpecError(
    `images from registries the operator does not allow (its --allowed-image-registries: ${allowed.join(', ')}): ` +
      refused.join('; '),
  );
}

/** Restarts asked of an operator installed without the rights to them: refused before anything moves. */
function checkRestartsAllowed(mesh: MeshObject, allowed: boolean): void {
  const spec = mesh.spec as MeshConfigSpec | undefined;
  if (allowed || spec?.updateStrategy?.restartWorkloads?.enabled !== true) return;
  throw new InvalidSpecError(
    'spec.updateStrategy.restartWorkloads.enabled: this operator was installed without the rights to restart ' +
      'workloads (meshop operator init --no-workload-restarts); restart them by hand or reinstall it with restarts',
  );
}

async function apply(client: ObjectClient, mesh: MeshObject, rendered: RenderResult): Promise<ApplyRun> {
  return applyPhases(client, planPhases(phasedObjects(rendered.components)), claimCheck(mesh), {
    beforeAdopting: (adopting) => recordAdoption(client, mesh, adopting),
  });
}

async function writeStatus(client: ObjectClient, mesh: MeshObject, next: MeshConfigStatus): Promise<void> {
  const patch = statusPatch(mesh.status, next);
  if (patch) await client.patchStatus(meshRef(mesh.metadata.name ?? ''), patch);
}

const statusOf = (status: MeshConfigStatus | undefined, type: string): string | undefined =>
  conditionOf(status?.conditions, type)?.status;

/** Events for transitions only: becoming Ready, becoming Degraded. */
async function announce(
  events: EventRecorder,
  mesh: KubeObject,
  before: MeshConfigStatus | undefined,
  after: MeshConfigStatus,
): Promise<void> {
  if (statusOf(after, ConditionType.Ready) === 'True' && statusOf(before, ConditionType.Ready) !== 'True') {
    await events.record(mesh, EventType.Normal, 'Installed', 'all components are ready');
  }
  const degraded = conditionOf(after.conditions, ConditionType.Degraded);
  if (degraded?.status === 'True' && statusOf(before, ConditionType.Degraded) !== 'True') {
    await events.record(mesh, EventType.Warning, degraded.reason, degraded.message);
  }
}

const earliest = (...delays: (number | undefined)[]): number | undefined => {
  const set = delays.filter((d): d is number => d !== undefined);
  return set.length > 0 ? Math.min(...set) : undefined;
};

/** Render, refuse what is unsafe, apply, then settle revisions; throws what the caller turns into a condition. */
async function reconcileLive(
  deps: ReconcilerDeps,
  mesh: MeshObject,
  at: StatusInput,
): Promise<{ status: MeshConfigStatus; result: ReconcileResult }> {
  const target = revisionTarget(mesh);
  const before = await observeRevisions(deps.client, mesh);
  checkVersionSkew(mesh, target, before, deps.releases.versions);
  checkTagNames(target, before);
  const rendered = renderForMesh(mesh, deps.releases, target.revision);
  checkImages(rendered, deps.allowedRegistries ?? defaultAllowedRegistries());
  if (deps.podPrivilegesFromSpec !== true) checkPodPrivileges(mesh, rendered, deps.releases, target.revision);
  checkRestartsAllowed(mesh, deps.workloadRestarts ?? true);
  await checkConflict(deps.client, mesh);
  const inventory = await recordBeforeApply(
    deps.client,
    mesh,
    await inventoryOf(deps.client, mesh),
    rendered.objects,
  );
  const run = await apply(deps.client, mesh, rendered);
  const waiting = run.waitingOn?.phase;
  const afterApply = {
    target,
    rendered,
    desiredReady: waiting === undefined,
    inventory,
    observed: revisionsAfterApply(
      mesh,
      before,
      run.applied.map((a) => a.live),
    ),
  };
  const plan = await planRevisions(deps, mesh, afterApply);
  const left = await pruneStep(deps, mesh, afterApply, plan);
  const revisions = revisionOutcome(mesh, afterApply, plan, left);
  const applied = appliedStatus(at, componentStatuses(rendered.components, run.applied, waiting), waiting);
  const adopted = adoptedStill(mesh, run.adopted, revisions.status.inventory);
  const status = withMigrationConditions(
    { ...applied, ...revisions.status, ...(adopted.length > 0 ? { adopted } : {}) },
    revisions,
    at,
  );
  const ready = conditionOf(status.conditions, ConditionType.Ready)?.status === 'True';
  const requeueAfterMs = earliest(ready ? undefined : readinessPollMs, revisions.requeueAfterMs);
  return { status, result: requeueAfterMs === undefined ? {} : { requeueAfterMs } };
}

export async function reconcileMesh(deps: ReconcilerDeps, name: string): Promise<ReconcileResult> {
  const mesh = await deps.client.find<MeshObject>(meshRef(name));
  if (!mesh) return {};
  if (mesh.metadata.deletionTimestamp) {
    const after = await teardownMesh(deps, mesh);
    return after === undefined ? {} : { requeueAfterMs: after };
  }
  await ensureFinalizer(deps.client, mesh);
  const at = {
    previous: mesh.status,
    generation: mesh.metadata.generation ?? 0,
    now: deps.now().toISOString(),
  };
  let status: MeshConfigStatus;
  let result: ReconcileResult;
  try {
    ({ status, result } = await reconcileLive(deps, mesh, at));
  } catch (err) {
    const kind = classify(err);
    status = refusedStatus(at, kind.reason, (err as Error).message);
    await writeStatus(deps.client, { ...mesh, metadata: mesh.metadata }, status);
    await announce(deps.events, mesh, mesh.status, status);
    if (kind.retry === Retry.Never) return {};
    throw err;
  }
  await writeStatus(deps.client, mesh, status);
  await announce(deps.events, mesh, mesh.status, status);
  return result;
}
