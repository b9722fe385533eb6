// Moving workloads off old revisions once the new one serves (after namespace-migration.ts relabelled the
// namespaces): the Deployments, StatefulSets and DaemonSets whose pods still run an old proxy (src/revisions'
// podMove decides which) are restarted in batches by a pod-template annotation, as `kubectl rollout restart`
// does, so each rollout honours its own strategy and PodDisruptionBudgets. Bare Pods and Jobs are only reported
// (migration-events.ts says so).
import { MeshopAnnotation } from '../objects/index.ts';
import type { MeshConfigSpec, MigrationStatus } from '../api/index.ts';
import type { KubeObject, ObjectClient, ObjectRef } from '../kube/index.ts';
import { isNotFound, refOf } from '../kube/index.ts';
import { readinessOf } from '../apply/index.ts';
import {
  controllerOf,
  describeWorkload,
  podMove,
  replicaSetsOf,
  restartSettingsOf,
  decideRestarts,
  namespaceRevision,
  podProxyRevision,
  resolveRevision,
} from '../revisions/index.ts';
import type {
  MigratingWorkload,
  ReplicaSetOwners,
  RestartDecision,
  RestartSettings,
  WorkloadRef,
} from '../revisions/index.ts';
import { restartEvents } from './migration-events.ts';
import type { EventRecorder } from './events.ts';
import type { MeshObject } from './mesh-object.ts';
import { isPodOf } from './revision-state.ts';
import type { LiveRevision, RevisionTarget } from './revision-state.ts';
import type { UsageSnapshot } from './usage-source.ts';

/** On a restarted pod template: the revision the restart was for. A workload is never restarted twice for one. */
export const restartedForAnnotation = MeshopAnnotation.restartedFor;
/** What `kubectl rollout restart` sets; any change of the template rolls the workload. */
const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

export interface MigrationDeps {
  client: ObjectClient;
  events: EventRecorder;
  now: () => Date;
}

export interface MigrationOutcome {
  migration?: MigrationStatus;
  blockedBy?: string;
  migrating: boolean;
  requeueAfterMs?: number;
}

const maxManual = 50;

function settingsOf(spec: MeshConfigSpec | undefined): RestartSettings | undefined {
  const r = spec?.updateStrategy?.restartWorkloads;
  return r?.enabled === true ? restartSettingsOf(r) : undefined;
}

export interface MigrationContext {
  target: RevisionTarget;
  /** The mesh's revisions other than the target. */
  old: readonly string[];
  snapshot: UsageSnapshot;
}

/**
 * The ReplicaSets' owners of these pods, each read once (from the informer cache in the operator; from the API
 * server for `meshop upgrade --dry-run`).
 */
export async function replicaSetOwners(
  client: ObjectClient,
  pods: readonly KubeObject[],
): Promise<ReplicaSetOwners> {
  const entries = await Promise.all(
    replicaSetsOf(pods).map(async (key) => {
      const [namespace = '', name = ''] = key.split('/');
      const rs = await client.find({ apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace, name });
      return [key, rs === undefined ? undefined : controllerOf(rs)] as const;
    }),
  );
  return new Map(entries);
}

const workloadRef = (w: WorkloadRef): ObjectRef => ({ apiVersion: 'apps/v1', ...w });

const describe = (ref: ObjectRef): string => `${ref.kind} ${ref.namespace ?? ''}/${ref.name}`;

interface Candidates {
  workloads: Map<string, ObjectRef>;
  manual: string[];
}

interface CandidateContext extends MigrationContext {
  /** The mesh's own istiod and gateway Deployments (namespace/name): their pods are not migrated here. */
  own: readonly string[];
}

/** Whether the pod runs an old revision's proxy (one that asks for an old revision but has none does not). */
function onOldRevision(pod: KubeObject, ctx: CandidateContext): boolean {
  const proxy = podProxyRevision(pod.metadata);
  return proxy !== undefined && ctx.old.includes(resolveRevision(proxy, ctx.target.tags));
}

/** Pods on an old revision whose namespace now asks for the target: restarting them re-injects the new proxy. */
function podFilter(spec: MeshConfigSpec | undefined, ctx: CandidateContext): (pod: KubeObject) => boolean {
  const excluded = new Set(spec?.updateStrategy?.restartWorkloads?.excludeNamespaces ?? []);
  const nsRevision = new Map(
    ctx.snapshot.namespaces.map((n) => [
      n.metadata.name ?? '',
      namespaceRevision(n.metadata.labels, ctx.target.tags),
    ]),
  );
  return (pod) => {
    const ns = pod.metadata.namespace ?? '';
    return (
      onOldRevision(pod, ctx) &&
      !excluded.has(ns) &&
      !pod.metadata.deletionTimestamp &&
      !isPodOf(pod, ctx.own) &&
      nsRevision.get(ns) === ctx.target.revision
    );
  };
}

async function candidatesOf(
  client: ObjectClient,
  spec: MeshConfigSpec | undefined,
  ctx: CandidateContext,
): Promise<Candidates> {
  const pods = ctx.snapshot.pods.filter(podFilter(spec, ctx));
  const owners = await replicaSetOwners(client, pods);
  const found: Candidates = { workloads: new Map(), manual: [] };
  for (const pod of pods) {
    const move = podMove(pod, owners);
    if ('restart' in move) found.workloads.set(describeWorkload(move.restart), workloadRef(move.restart));
    else found.manual.push(`${move.manual.namespace}/${move.manual.pod}`);
  }
  found.manual.sort();
  return found;
}

function templateAnnotation(obj: KubeObject | undefined): string | undefined {
  const template = (
    obj?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined
  )?.template;
  return template?.metadata?.annotations?.[restartedForAnnotation];
}

async function restart(deps: MigrationDeps, ref: ObjectRef, revision: string): Promise<void> {
  const annotations = {
    [restartedForAnnotation]: revision,
    [restartedAtAnnotation]: deps.now().toISOString(),
  };
  try {
    await deps.client.mergePatch(ref, { spec: { template: { metadata: { annotations } } } });
  } catch (err) {
    if (!isNotFound(err)) throw err; // deleted meanwhile: nothing to restart
  }
}

const restartableKinds = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

/** `Kind namespace/name` of the workloads in `namespace` restarted for `to` and not rolled out yet. */
async function rollingIn(client: ObjectClient, namespace: string, to: string): Promise<string[]> {
  const names: string[] = [];
  for (const kind of restartableKinds) {
    const items = (await client.list({ apiVersion: 'apps/v1', kind }, { namespace })).items;
    for (const live of items) {
      if (templateAnnotation(live) === to && !readinessOf(live).ready) names.push(describe(refOf(live)));
    }
  }
  return names;
}

/**
 * The workloads still migrating: those with pods on an old revision, and those restarted for the target whose
 * rollout is not Ready yet although their old pods are gone (a batch is done only once it is rolled out). The
 * latter are found on the cluster, in the namespaces that ask for the target, not in status, which may be lost.
 */
async function liveWorkloads(
  client: ObjectClient,
  found: Candidates,
  rolling: { to: string; namespaces: readonly string[] },
): Promise<MigratingWorkload[]> {
  const workloads: MigratingWorkload[] = [];
  for (const [name, ref] of found.workloads) {
    workloads.push({ ref: name, restartedFor: templateAnnotation(await client.find(ref)) });
  }
  for (const namespace of rolling.namespaces) {
    for (const name of await rollingIn(client, namespace, rolling.to)) {
      if (!found.workloads.has(name)) workloads.push({ ref: name, restartedFor: rolling.to });
    }
  }
  return workloads;
}

async function carryOut(
  deps: MigrationDeps,
  mesh: MeshObject,
  step: { decision: RestartDecision; found: Candidates; previous: MigrationStatus | undefined; to: string },
): Promise<void> {
  const { decision, found } = step;
  for (const name of decision.restart) {
    const ref = found.workloads.get(name);
    if (ref) await restart(deps, ref, step.to);
  }
  if (found.manual.length > 0) decision.status.manualRestartRequired = found.manual.slice(0, maxManual);
  for (const [type, reason, message] of restartEvents(decision, step.previous)) {
    await deps.events.record(mesh, type, reason, message);
  }
}

export interface MigrationInput {
  target: RevisionTarget;
  observed: readonly LiveRevision[];
  /** The mesh's own istiod and gateway Deployments (namespace/name). */
  own: readonly string[];
  snapshot: UsageSnapshot;
}

export const oldRevisions = (input: MigrationInput): string[] =>
  input.observed.map((r) => r.name).filter((n) => n !== input.target.revision);

/** The namespaces whose workloads move to the target: those that now ask for it, minus the excluded ones. */
function targetNamespaces(spec: MeshConfigSpec | undefined, input: MigrationInput): string[] {
  const excluded = new Set(spec?.updateStrategy?.restartWorkloads?.excludeNamespaces ?? []);
  return input.snapshot.namespaces
    .filter((n) => namespaceRevision(n.metadata.labels, input.target.tags) === input.target.revision)
    .map((n) => n.metadata.name ?? '')
    .filter((n) => !excluded.has(n));
}

/** One step of the workload restarts; called only when the target revision serves. */
export async function migrateWorkloads(
  deps: MigrationDeps,
  mesh: MeshObject,
  input: MigrationInput,
): Promise<MigrationOutcome> {
  const spec = mesh.spec as MeshConfigSpec | undefined;
  const old = oldRevisions(input);
  const settings = settingsOf(spec);
  if (old.length === 0 || !settings) return { migrating: false };
  const found = await candidatesOf(deps.client, spec, { ...input, old });
  const previous = mesh.status?.migration;
  const to = input.target.revision;
  const workloads = await liveWorkloads(deps.client, found, {
    to,
    namespaces: targetNamespaces(spec, input),
  });
  const decision = decideRestarts({ from: old, to, workloads, previous, settings, now: deps.now() });
  await carryOut(deps, mesh, { decision, found, previous, to });
  return {
    migration: decision.status,
    migrating: workloads.length > 0,
    ...(decision.blockedBy === undefined ? {} : { blockedBy: decision.blockedBy }),
    ...(decision.requeueAfterMs === undefined ? {} : { requeueAfterMs: decision.requeueAfterMs }),
  };
}
