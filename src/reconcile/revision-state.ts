// The revisions of one mesh as the cluster shows them: each istiod Deployment the mesh owns is a revision (its
// meshop.dev/revision and meshop.dev/istio-version labels say which and what it runs), each gateway Deployment
// uses the revision its pods are injected by. Read fresh on every reconcile: live objects, not status, are the
// truth, so a lost status never loses a revision.
import type { MeshConfigSpec } from '../api/index.ts';
import { allowVersionSkewAnnotation } from '../api/index.ts';
import { readinessOf } from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { ComponentName, ownedBySelector, ownershipLabels } from '../render/index.ts';
import {
  IstioLabel,
  defaultRevisionName,
  desiredRevision,
  tagClashesWithRevision,
  versionOf,
  versionSkewProblem,
} from '../revisions/index.ts';
import type { ObservedRevision } from '../revisions/index.ts';
import type { MeshObject } from './mesh-object.ts';
import { TagNamedLikeRevisionError, VersionSkewError } from './reconcile-errors.ts';

const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;

export interface RevisionTarget {
  /** The revision the spec asks for. */
  revision: string;
  version: string;
  /** spec.revisionTags with "active" resolved to `revision`. */
  tags: Record<string, string>;
}

export function revisionTarget(mesh: MeshObject): RevisionTarget {
  const spec = mesh.spec as MeshConfigSpec | undefined;
  const revision = desiredRevision(mesh.metadata.name ?? '', spec);
  const tags = Object.fromEntries(
    Object.entries(spec?.revisionTags ?? {}).map(([tag, rev]) => [tag, rev === 'active' ? revision : rev]),
  );
  return { revision, version: versionOf(spec), tags };
}

/** An istiod Deployment seen on the cluster, as a revision. */
export type LiveRevision = ObservedRevision & { workload: string };

/**
 * A pod of one of `workloads` (namespace/name of Deployments), by its owner reference: the Deployment controller
 * names its ReplicaSets `<deployment>-<pod-template-hash>` and labels their pods with that hash, so the owner's
 * name tells the Deployment exactly (a name prefix would also match a Deployment `<name>-extra`).
 */
export function isPodOf(pod: KubeObject, workloads: readonly string[]): boolean {
  const ref = pod.metadata.ownerReferences?.find((r) => r.kind === 'ReplicaSet' && r.controller === true);
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (typeof ref?.name !== 'string' || hash === undefined) return false;
  return workloads.some((w) => {
    const [namespace, name] = w.split('/');
    return namespace === pod.metadata.namespace && ref.name === `${name ?? ''}-${hash}`;
  });
}

/** An istiod Deployment of `mesh`, as the revision it is. */
function revisionOf(d: KubeObject): LiveRevision {
  return {
    name: d.metadata.labels?.[ownershipLabels.controlPlane] ?? defaultRevisionName,
    version: d.metadata.labels?.[ownershipLabels.istioVersion] ?? '',
    ready: readinessOf(d).ready,
    workload: `${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`,
  };
}

const isIstiodOf = (mesh: MeshObject, o: KubeObject): boolean =>
  o.kind === deploymentType.kind &&
  o.apiVersion === deploymentType.apiVersion &&
  o.metadata.labels?.[ownershipLabels.mesh] === mesh.metadata.name &&
  o.metadata.labels?.[ownershipLabels.component] === ComponentName.Pilot;

/** The mesh's revisions: one per istiod Deployment it owns. Read once per reconcile, before anything is applied. */
export async function observeRevisions(client: ObjectClient, mesh: MeshObject): Promise<LiveRevision[]> {
  const selector = `${ownedBySelector(mesh.metadata.name ?? '')},${ownershipLabels.component}=${ComponentName.Pilot}`;
  const deployments = (await client.list(deploymentType, { labelSelector: selector })).items;
  return deployments.map(revisionOf);
}

/**
 * The revisions once this pass's apply is done: those observed before it, with every istiod Deployment the apply
 * wrote or found as the apply left it (a new revision appears, an upgraded one shows its new readiness).
 */
export function revisionsAfterApply(
  mesh: MeshObject,
  before: readonly LiveRevision[],
  applied: readonly KubeObject[],
): LiveRevision[] {
  const now = new Map(before.map((r) => [r.workload, r]));
  for (const d of applied.filter((o) => isIstiodOf(mesh, o))) {
    const revision = revisionOf(d);
    now.set(revision.workload, revision);
  }
  return [...now.values()];
}

const gatewayComponents = `${ComponentName.IngressGateways},${ComponentName.EgressGateways}`;

function templateRevision(d: KubeObject): string {
  const template = (d.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)
    ?.template;
  return template?.metadata?.labels?.[IstioLabel.revision] ?? defaultRevisionName;
}

/** `namespace/name` → revision of every gateway Deployment of the mesh. */
export async function gatewayRevisions(
  client: ObjectClient,
  mesh: MeshObject,
): Promise<Record<string, string>> {
  const selector = `${ownedBySelector(mesh.metadata.name ?? '')},${ownershipLabels.component} in (${gatewayComponents})`;
  const deployments = (await client.list(deploymentType, { labelSelector: selector })).items;
  return Object.fromEntries(
    deployments.map((d) => [`${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`, templateRevision(d)]),
  );
}

/**
 * Refuses, before anything is applied, a version meshop has no release data for, or one too far from what the
 * mesh's revisions run (unless the MeshConfig carries the override annotation).
 */
export function checkVersionSkew(
  mesh: MeshObject,
  target: RevisionTarget,
  observed: readonly ObservedRevision[],
  known: readonly string[],
): void {
  if (!known.includes(target.version)) {
    throw new VersionSkewError(
      `unknown Istio version ${target.version}: meshop can install ${known.join(', ')}; the running mesh is ` +
        'left as it is',
    );
  }
  if (mesh.metadata.annotations?.[allowVersionSkewAnnotation] === 'true') return;
  const running = observed.map((r) => r.version).filter((v) => v !== '');
  const problem = versionSkewProblem(target.version, running, allowVersionSkewAnnotation);
  if (problem) throw new VersionSkewError(problem);
}

/** Refuses a tag that has the name of one of the mesh's revisions (istio.io/rev=<name> could mean either). */
export function checkTagNames(target: RevisionTarget, observed: readonly ObservedRevision[]): void {
  const revisions = [target.revision, ...observed.map((r) => r.name)];
  const clash = Object.keys(target.tags).find((tag) =>
    tagClashesWithRevision(tag, target.revision, revisions),
  );
  if (clash !== undefined) {
    throw new TagNamedLikeRevisionError(
      `spec.revisionTags.${clash}: a tag must not have the name of revision "${clash}", which this mesh runs; ` +
        'rename the tag',
    );
  }
}
