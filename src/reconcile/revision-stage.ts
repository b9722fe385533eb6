// After the apply: decide which old revisions stay (in use, in their grace period, or waiting for the new one to
// be ready), prune what is no longer rendered while keeping those, and remove the revisions whose time is up.
import type { MeshConfigSpec, MeshConfigStatus, RevisionStatus } from '../api/index.ts';
import { defaultGracePeriodSeconds } from '../api/index.ts';
import { prune } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import { controlPlaneSelector, inventoryKinds, ownershipLabels } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import { planRetention, usageOf } from '../revisions/index.ts';
import type { RetentionPlan, Usage } from '../revisions/index.ts';
import { EventType } from './events.ts';
import type { EventRecorder } from './events.ts';
import { ownedSelectorOf } from './mesh-object.ts';
import type { MeshObject } from './mesh-object.ts';
import { namespaceHoldsOthers } from './namespace-guard.ts';
import { deactivateUnrevisionedInjector } from './injector-takeover.ts';
import { migrateWorkloads } from './migration-stage.ts';
import { moveNamespaces } from './namespace-migration.ts';
import type { MigrationOutcome } from './migration-stage.ts';
import { gatewayRevisions, isPodOf } from './revision-state.ts';
import type { LiveRevision, RevisionTarget } from './revision-state.ts';
import type { UsageScope, UsageSnapshot, UsageSource } from './usage-source.ts';

export interface RevisionStageDeps {
  client: ObjectClient;
  events: EventRecorder;
  usage: UsageSource;
  now: () => Date;
}

export interface RevisionOutcome {
  status: Pick<
    MeshConfigStatus,
    'activeRevision' | 'revisions' | 'revisionsReady' | 'revisionsInUse' | 'tags' | 'migration' | 'inventory'
  >;
  migrating: boolean;
  blockedBy?: string;
  requeueAfterMs?: number;
}

/** What the mesh's revisions are used by, read once per pass: namespaces, pods, the mesh's gateways. */
interface ClusterUse {
  snapshot: UsageSnapshot;
  /** `namespace/name` → revision of each gateway Deployment of the mesh. */
  gateways: Record<string, string>;
}

async function readClusterUse(
  deps: Pick<RevisionStageDeps, 'client' | 'usage'>,
  mesh: MeshObject,
  scope: UsageScope,
): Promise<ClusterUse | { error: string }> {
  try {
    return { snapshot: await deps.usage.read(scope), gateways: await gatewayRevisions(deps.client, mesh) };
  } catch (err) {
    return { error: `could not check what uses the revisions: ${(err as Error).message}` };
  }
}

/** The mesh's revisions (the target and those observed) and its tags: what this pass reads usage for. */
function scopeOf(
  { revision, tags }: Pick<RevisionTarget, 'revision' | 'tags'>,
  observed: readonly LiveRevision[],
): UsageScope {
  return { revisions: [...new Set([revision, ...observed.map((r) => r.name)])], tags };
}

/** Usage of each of the mesh's revisions (the target and those observed), or why it could not be known. */
function usageFrom(
  use: ClusterUse | { error: string },
  target: Pick<RevisionTarget, 'revision' | 'tags'>,
  observed: readonly LiveRevision[],
): Map<string, Usage> | { error: string } {
  if ('error' in use) return use;
  // istiod's own pods serve the revision, they do not use it.
  const istiods = observed.map((r) => r.workload);
  return usageOf({
    ...scopeOf(target, observed),
    namespaces: use.snapshot.namespaces.map((n) => n.metadata),
    pods: use.snapshot.pods.filter((p) => !isPodOf(p, istiods)).map((p) => p.metadata),
    gateways: use.gateways,
  });
}

const kept = (keep: readonly string[]) => (o: KubeObject) =>
  keep.includes(o.metadata.labels?.[ownershipLabels.controlPlane] ?? '');

/**
 * Prunes what the mesh applied and no longer renders, keeping the revisions still kept; returns the inventory
 * left: without what was deleted and what is gone already.
 */
async function pruneKeeping(
  client: ObjectClient,
  mesh: MeshObject,
  { rendered, inventory }: Pick<AppliedRender, 'rendered' | 'inventory'>,
  keepRevisions: readonly string[],
): Promise<Set<string>> {
  const keep = new Set(rendered.objects.map((o) => describeRef(refOf(o))));
  const keepRevision = kept(keepRevisions);
  const live = new Set<string>();
  const deleted = await prune(client, {
    selector: ownedSelectorOf(mesh),
    kinds: inventoryKinds,
    keep,
    applied: inventory,
    seen: (ref) => live.add(ref),
    // CRDs never go by prune (only teardown with removeCRDs); nor do namespaces with anything else inside;
    // nor an old revision that is still kept.
    protect: (o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Namespace' || keepRevision(o),
  });
  const namespaces = await client.list(
    { apiVersion: 'v1', kind: 'Namespace' },
    { labelSelector: ownedSelectorOf(mesh) },
  );
  for (const ns of namespaces.items) {
    const ref = describeRef(refOf(ns));
    if (keep.has(ref) || !inventory.has(ref) || ns.metadata.deletionTimestamp) continue;
    if (!(await namespaceHoldsOthers(client, ns.metadata.name ?? ''))) {
      await client.delete(refOf(ns));
      deleted.push(ref);
    }
  }
  const gone = new Set(deleted);
  return new Set([...inventory].filter((ref) => !gone.has(ref) && (keep.has(ref) || live.has(ref))));
}

/** Deletes what the mesh applied for `revision`; returns the `Kind namespace/name` of each. */
async function removeRevision(
  deps: RevisionStageDeps,
  mesh: MeshObject,
  revision: string,
  { rendered, inventory }: Pick<AppliedRender, 'rendered' | 'inventory'>,
): Promise<string[]> {
  const keep = new Set(rendered.objects.map((o) => describeRef(refOf(o))));
  const selector = controlPlaneSelector(mesh.metadata.name ?? '', revision);
  const deleted = await prune(deps.client, { selector, kinds: inventoryKinds, keep, applied: inventory });
  await deps.events.record(
    mesh,
    EventType.Normal,
    'RevisionRemoved',
    `revision ${revision} removed: nothing used it for the grace period`,
  );
  return deleted;
}

function gracePeriodOf(mesh: MeshObject): number {
  const spec = mesh.spec as MeshConfigSpec | undefined;
  return spec?.updateStrategy?.inactiveRevisionDeletionGracePeriodSeconds ?? defaultGracePeriodSeconds;
}

/** The active revision and the tags as applied: the new ones only once the target serves. */
function servingFields(mesh: MeshObject, { target, desiredReady }: AppliedRender) {
  const previous = mesh.status;
  if (desiredReady) return { activeRevision: target.revision, tags: target.tags };
  return { activeRevision: previous?.activeRevision ?? target.revision, tags: previous?.tags ?? target.tags };
}

function outcome(
  mesh: MeshObject,
  applied: AppliedRender,
  plan: RetentionPlan,
  settled: { migration: MigrationOutcome; inventory: ReadonlySet<string> },
): RevisionOutcome {
  const { migration, inventory } = settled;
  const revisions: RevisionStatus[] = plan.revisions.filter((r) => !plan.remove.includes(r.name));
  const migrationStatus = migration.migration ?? mesh.status?.migration;
  const delays = [plan.requeueAfterMs, migration.requeueAfterMs].filter((d): d is number => d !== undefined);
  return {
    status: {
      ...servingFields(mesh, applied),
      revisions,
      revisionsReady: `${String(revisions.filter((r) => r.ready).length)}/${String(revisions.length)}`,
      revisionsInUse: revisions
        .filter((r) => r.inUse?.status === 'True')
        .map((r) => r.name)
        .join(','),
      ...(migrationStatus ? { migration: migrationStatus } : {}),
      inventory: [...inventory].sort(),
    },
    migrating: migration.migrating,
    ...(migration.blockedBy === undefined ? {} : { blockedBy: migration.blockedBy }),
    ...(delays.length > 0 ? { requeueAfterMs: Math.min(...delays) } : {}),
  };
}

/**
 * Namespaces and workloads move only once the target serves (a failed usage read skips the step this time);
 * returns what the restarts did and the usage as it is after the namespaces moved.
 */
async function migrate(
  deps: RevisionStageDeps,
  mesh: MeshObject,
  observed: readonly LiveRevision[],
  { target, desiredReady }: AppliedRender,
): Promise<{ migration: MigrationOutcome; use: ClusterUse | { error: string } }> {
  const use = await readClusterUse(deps, mesh, scopeOf(target, observed));
  if (!desiredReady || 'error' in use) return { migration: { migrating: false }, use };
  const own = [...observed.map((r) => r.workload), ...Object.keys(use.gateways)];
  const input = { target, observed, own, snapshot: use.snapshot };
  const snapshot = await moveNamespaces(deps, mesh, input);
  const migration = await migrateWorkloads(deps, mesh, { ...input, snapshot });
  return { migration, use: { ...use, snapshot } };
}

export interface AppliedRender {
  target: RevisionTarget;
  rendered: RenderResult;
  /** Every phase applied and ready: the desired revision serves. */
  desiredReady: boolean;
  /** What the mesh has applied (inventory.ts), the rendered objects included. */
  inventory: ReadonlySet<string>;
  /** The mesh's revisions as this pass's apply left them (revision-state.ts). */
  observed: readonly LiveRevision[];
}

/** What this pass does with the mesh's revisions: workloads moved, and which revisions stay or go. */
export interface RevisionPlan {
  migration: MigrationOutcome;
  plan: RetentionPlan;
}

/** Moves namespaces and workloads once the target serves, and decides which revisions are kept. */
export async function planRevisions(
  deps: RevisionStageDeps,
  mesh: MeshObject,
  applied: AppliedRender,
): Promise<RevisionPlan> {
  const { target, desiredReady, observed } = applied;
  const { migration, use } = await migrate(deps, mesh, observed, applied);
  const plan = planRetention({
    desired: target.revision,
    desiredVersion: target.version,
    desiredReady,
    observed,
    usage: usageFrom(use, target, observed),
    previous: mesh.status?.revisions,
    graceSeconds: gracePeriodOf(mesh),
    now: deps.now(),
  });
  return { migration, plan };
}

/**
 * Prune, once the target serves: what the mesh applied and no longer renders goes (the kept revisions' objects
 * stay), then each revision the plan removes. Returns the inventory left.
 */
export async function pruneStep(
  deps: RevisionStageDeps,
  mesh: MeshObject,
  applied: AppliedRender,
  { plan }: RevisionPlan,
): Promise<Set<string>> {
  let inventory = new Set(applied.inventory);
  if (!applied.desiredReady) return inventory;
  await deactivateUnrevisionedInjector(deps.client, mesh, applied.target, plan.keep);
  inventory = await pruneKeeping(deps.client, mesh, applied, plan.keep);
  for (const revision of plan.remove) {
    for (const ref of await removeRevision(deps, mesh, revision, { rendered: applied.rendered, inventory }))
      inventory.delete(ref);
  }
  return inventory;
}

/** The status fields of the revisions once the pass is done. */
export function revisionOutcome(
  mesh: MeshObject,
  applied: AppliedRender,
  { plan, migration }: RevisionPlan,
  inventory: ReadonlySet<string>,
): RevisionOutcome {
  return outcome(mesh, applied, plan, { migration, inventory });
}
