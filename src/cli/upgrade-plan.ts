// What `meshop upgrade` will do, decided before anything is touched: the revision change the new spec means
// (desiredRevision on the spec as it would become), the tags that follow, the namespaces relabelled, the
// workloads restarted, and the version-skew verdict the operator will reach. Pure: the command reads the
// cluster (namespaces, pods) and hands it in.
import type { MeshConfigSpec } from '../api/index.ts';
import type { UpdateStrategyType } from '../api/index.ts';
import {
  allowVersionSkewAnnotation,
  defaultGracePeriodSeconds,
  defaultUpdateStrategyType,
} from '../api/index.ts';
import { desiredRevision, restartSettingsOf, versionOf, versionSkewProblem } from '../revisions/index.ts';
import type { StoredMesh } from './cluster-meshes.ts';
import { isGateway, meshName } from './cluster-meshes.ts';
import { activeRevisionOf, activeTagValue } from './revision-tags.ts';

/** The spec change asked for on the command line. */
export interface UpgradeRequest {
  version: string;
  /** --strategy; unset keeps the spec's. */
  strategy?: UpdateStrategyType | undefined;
}

/** The revision change a request means for one mesh: known before the cluster is read any further. */
export interface RevisionChange {
  mesh: string;
  fromVersion: string;
  toVersion: string;
  fromStrategy: UpdateStrategyType;
  strategy: UpdateStrategyType;
  fromRevision: string;
  toRevision: string;
  /** The spec as it will be. */
  spec: MeshConfigSpec;
  /** The JSON merge patch that makes it so. */
  patch: { spec: Record<string, unknown> };
}

/** Workloads whose pods run the old revision's proxy, as `Kind namespace/name`. */
export interface WorkloadScan {
  /** Deployments, StatefulSets and DaemonSets a restart annotation re-injects. */
  restartable: string[];
  /** Bare Pods and Jobs, which meshop never deletes. */
  manual: string[];
  /** Restartable ones in excluded namespaces. */
  excluded: string[];
}

export const SkewVerdict = { Ok: 'ok', Refused: 'refused', Overridden: 'overridden' } as const;
export type SkewVerdict = (typeof SkewVerdict)[keyof typeof SkewVerdict];

export interface UpgradePlan extends RevisionChange {
  /** Nothing to change: the spec already asks for this version and strategy. */
  noop: boolean;
  gateways: string[];
  /** Tags whose value is "active", moving with the active revision. */
  movingTags: string[];
  migrateNamespaces: boolean;
  /** Namespaces labelled istio.io/rev=<old revision>. */
  namespaces: string[];
  restartWorkloads: boolean;
  batchSize: number;
  workloads: WorkloadScan;
  gracePeriodSeconds: number;
  skew: { verdict: SkewVerdict; problem?: string };
}

function strategyPatch(spec: MeshConfigSpec | undefined, request: UpgradeRequest): Record<string, unknown> {
  const current = spec?.updateStrategy?.type ?? defaultUpdateStrategyType;
  const { strategy } = request;
  return strategy === undefined || strategy === current ? {} : { updateStrategy: { type: strategy } };
}

export function revisionChange(mesh: StoredMesh, request: UpgradeRequest): RevisionChange {
  const name = meshName(mesh);
  const spec = mesh.spec ?? {};
  const fromRevision = activeRevisionOf(mesh);
  const fromStrategy = spec.updateStrategy?.type ?? defaultUpdateStrategyType;
  const strategy = request.strategy ?? fromStrategy;
  const next: MeshConfigSpec = {
    ...spec,
    version: request.version,
    updateStrategy: { ...spec.updateStrategy, type: strategy },
  };
  const running = mesh.status?.revisions?.find((r) => r.name === fromRevision)?.version;
  return {
    mesh: name,
    fromVersion: running ?? versionOf(spec),
    toVersion: request.version,
    fromStrategy,
    strategy,
    fromRevision,
    toRevision: desiredRevision(name, next),
    spec: next,
    patch: { spec: { version: request.version, ...strategyPatch(spec, request) } },
  };
}

function skewOf(mesh: StoredMesh, change: RevisionChange): UpgradePlan['skew'] {
  const versions = (mesh.status?.revisions ?? []).flatMap((r) =>
    r.version === undefined ? [] : [r.version],
  );
  const running = versions.length > 0 ? versions : [change.fromVersion];
  const problem = versionSkewProblem(change.toVersion, running, allowVersionSkewAnnotation);
  if (problem === undefined) return { verdict: SkewVerdict.Ok };
  const overridden = mesh.metadata.annotations?.[allowVersionSkewAnnotation] === 'true';
  return { verdict: overridden ? SkewVerdict.Overridden : SkewVerdict.Refused, problem };
}

export interface ClusterFacts {
  namespaces: string[];
  workloads: WorkloadScan;
}

/** The spec's update-strategy settings the plan reports, with meshop's defaults. */
function strategySettings(change: RevisionChange) {
  const strategy = change.spec.updateStrategy ?? {};
  const restart = strategy.restartWorkloads ?? {};
  return {
    migrateNamespaces: movesRevision(change) && strategy.migrateNamespaces === true,
    restartWorkloads: restart.enabled === true,
    batchSize: restartSettingsOf(restart).batchSize,
    gracePeriodSeconds: strategy.inactiveRevisionDeletionGracePeriodSeconds ?? defaultGracePeriodSeconds,
  };
}

function movingTags(change: RevisionChange): string[] {
  if (!movesRevision(change)) return [];
  const tags = change.spec.revisionTags ?? {};
  return Object.keys(tags)
    .filter((t) => tags[t] === activeTagValue)
    .sort();
}

export function upgradePlan(mesh: StoredMesh, change: RevisionChange, facts: ClusterFacts): UpgradePlan {
  return {
    ...change,
    ...strategySettings(change),
    noop: Object.keys(change.patch.spec).length === 1 && versionOf(mesh.spec) === change.toVersion,
    gateways: (mesh.status?.components ?? []).filter(isGateway).map((c) => c.name),
    movingTags: movingTags(change),
    namespaces: facts.namespaces,
    workloads: facts.workloads,
    skew: skewOf(mesh, change),
  };
}

/** A new revision beside the old one (a version change under RevisionBased, or a switch of strategy). */
export function movesRevision(p: RevisionChange): boolean {
  return p.fromRevision !== p.toRevision;
}
