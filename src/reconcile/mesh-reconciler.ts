// The MeshConfig reconciler: read the MeshConfig, render it, apply in phases, prune what is no longer rendered,
// then write status once. Level-based: it never learns which event woke it, and running it again on a converged
// mesh writes nothing.
import type { MeshConfigStatus } from '../api/index.ts';
import { ConditionType } from '../api/index.ts';
import { applyPhases, planPhases, prune } from '../apply/index.ts';
import type { ApplyRun } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import { inventoryKinds } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import { componentStatuses } from './component-status.ts';
import { conditionOf } from './conditions.ts';
import { EventType } from './events.ts';
import type { EventRecorder } from './events.ts';
import { conflictingMesh } from './mesh-identity.ts';
import { meshFinalizer, meshRef, meshType, ownedSelectorOf } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { appliedStatus, refusedStatus, statusPatch } from './mesh-status.ts';
import { namespaceHoldsOthers } from './namespace-guard.ts';
import { ConflictingMeshError, Retry, classify } from './reconcile-errors.ts';
import type { ReleaseSource } from './release-source.ts';
import { renderForMesh } from './render-for-mesh.ts';
import { teardownMesh } from './teardown.ts';

export interface ReconcilerDeps {
  client: ObjectClient;
  releases: ReleaseSource;
  events: EventRecorder;
  now: () => Date;
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

async function applyAndPrune(
  client: ObjectClient,
  mesh: MeshObject,
  rendered: RenderResult,
): Promise<ApplyRun> {
  const planned = rendered.components.flatMap((c) =>
    c.objects.map((object) => ({ component: c.name, object })),
  );
  const run = await applyPhases(client, planPhases(planned));
  if (run.waitingOn) return run;
  const keep = new Set(rendered.objects.map((o) => describeRef(refOf(o))));
  await prune(client, {
    selector: ownedSelectorOf(mesh),
    kinds: inventoryKinds,
    keep,
    // CRDs never go by prune (only teardown with removeCRDs); nor do namespaces with anything else inside.
    protect: (o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace',
  });
  await pruneEmptyNamespaces(client, mesh, keep);
  return run;
}

async function pruneEmptyNamespaces(
  client: ObjectClient,
  mesh: MeshObject,
  keep: ReadonlySet<string>,
): Promise<void> {
  const owned = (
    await client.list({ apiVersion: 'v1', kind: 'Namespace' }, { labelSelector: ownedSelectorOf(mesh) })
  ).items;
  for (const ns of owned) {
    if (keep.has(describeRef(refOf(ns))) || ns.metadata.deletionTimestamp) continue;
    if (!(await namespaceHoldsOthers(client, ns.metadata.name ?? ''))) await client.delete(refOf(ns));
  }
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
  let result: ReconcileResult = {};
  try {
    const rendered = renderForMesh(mesh, deps.releases);
    await checkConflict(deps.client, mesh);
    const run = await applyAndPrune(deps.client, mesh, rendered);
    const waiting = run.waitingOn?.phase;
    status = appliedStatus(at, componentStatuses(rendered.components, run.applied, waiting), waiting);
    if (conditionOf(status.conditions, ConditionType.Ready)?.status !== 'True')
      result = { requeueAfterMs: readinessPollMs };
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
