// Revision tags as `meshop tag` sees them: what each MeshConfig's spec asks for, what its status says is applied,
// and the injector webhooks that really exist (istio.io/tag labelled, ours or made by `istioctl tag set`).
// Pure: the command reads the cluster, these functions decide and format.
import { IstioLabel, MeshopLabel } from '../objects/index.ts';
import { isDnsLabel } from '../api/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { defaultRevisionName, desiredRevision, tagClashesWithRevision } from '../revisions/index.ts';
import type { StoredMesh } from './cluster-meshes.ts';
import { meshName } from './cluster-meshes.ts';
import { formatTable } from './view/text-table.ts';

/** The tag value that follows the mesh's active revision. */
export const activeTagValue = 'active';
export const tagLabel = IstioLabel.tag;
const revLabel = IstioLabel.revision;
const meshLabel = MeshopLabel.mesh;

/** An injector webhook that serves a tag. `mesh` is empty when meshop did not make it. */
export interface TagWebhook {
  name: string;
  tag: string;
  revision: string;
  mesh: string;
}

export const TagState = {
  /** The webhook points where the spec says. */
  Applied: 'Applied',
  /** The spec says something the cluster does not show yet. */
  Pending: 'Pending',
  /** A webhook (or status entry) no spec asks for: being removed, or made outside meshop. */
  NotInSpec: 'NotInSpec',
} as const;
export type TagState = (typeof TagState)[keyof typeof TagState];

export interface TagRow {
  mesh: string;
  tag: string;
  /** spec.revisionTags value, "active (<revision>)" for the moving kind. */
  spec: string;
  applied: string;
  webhook: string;
  state: TagState;
}

export function tagWebhookOf(obj: KubeObject): TagWebhook {
  const labels = obj.metadata.labels ?? {};
  return {
    name: obj.metadata.name ?? '',
    tag: labels[tagLabel] ?? '',
    revision: labels[revLabel] ?? defaultRevisionName,
    mesh: labels[meshLabel] ?? '',
  };
}

/** The revision the mesh serves now: its status, or before the operator wrote one, what its spec asks for. */
export function activeRevisionOf(mesh: StoredMesh): string {
  return mesh.status?.activeRevision ?? desiredRevision(meshName(mesh), mesh.spec);
}

/** The revisions a tag of this mesh may point at, and whose names a tag must not take. */
export function knownRevisions(mesh: StoredMesh): string[] {
  const names = [
    desiredRevision(meshName(mesh), mesh.spec),
    activeRevisionOf(mesh),
    ...(mesh.status?.revisions ?? []).map((r) => r.name),
  ];
  return [...new Set(names)].sort();
}

/** The operator's rule (tagClashesWithRevision), with the revision this mesh's spec asks for. */
function clashesWithRevision(mesh: StoredMesh, tag: string, revisions: readonly string[]): boolean {
  return tagClashesWithRevision(tag, desiredRevision(meshName(mesh), mesh.spec), revisions);
}

function meshTagRows(mesh: StoredMesh, hooks: readonly TagWebhook[]): TagRow[] {
  const name = meshName(mesh);
  const wanted = mesh.spec?.revisionTags ?? {};
  const applied = mesh.status?.tags ?? {};
  const mine = hooks.filter((h) => h.mesh === name);
  const tags = new Set([...Object.keys(wanted), ...Object.keys(applied), ...mine.map((h) => h.tag)]);
  return [...tags].sort().map((tag) => {
    const spec = wanted[tag];
    const target = spec === activeTagValue ? activeRevisionOf(mesh) : spec;
    const webhook = mine.find((h) => h.tag === tag)?.revision ?? '';
    const state =
      target === undefined ? TagState.NotInSpec : webhook === target ? TagState.Applied : TagState.Pending;
    const shown = spec === activeTagValue ? `${spec} (${target ?? ''})` : (spec ?? '');
    return { mesh: name, tag, spec: shown, applied: applied[tag] ?? '', webhook, state };
  });
}

/** One row per tag of every mesh, then the tag webhooks no mesh owns (mesh "-"). */
export function tagRows(meshes: readonly StoredMesh[], hooks: readonly TagWebhook[]): TagRow[] {
  const names = new Set(meshes.map(meshName));
  const foreign = hooks
    .filter((h) => !names.has(h.mesh))
    .sort((a, b) => a.tag.localeCompare(b.tag))
    .map((h) => ({
      mesh: h.mesh,
      tag: h.tag,
      spec: '',
      applied: '',
      webhook: h.revision,
      state: TagState.NotInSpec,
    }));
  return [...meshes.flatMap((m) => meshTagRows(m, hooks)), ...foreign];
}

export function formatTagRows(rows: readonly TagRow[]): string {
  if (rows.length === 0) return 'No revision tags.\n';
  return formatTable(
    ['MESH', 'TAG', 'SPEC', 'APPLIED', 'WEBHOOK', 'STATE'],
    rows.map((r) => [r.mesh, r.tag, r.spec, r.applied, r.webhook, r.state]),
  );
}

/** Why `tag set TAG --revision REV` is refused for this mesh, or undefined when it may go ahead. */
export function tagSetProblem(mesh: StoredMesh, tag: string, revision: string): string | undefined {
  if (!isDnsLabel(tag)) return `tag "${tag}" is not a DNS-1123 label (lowercase letters, digits, '-')`;
  const revisions = knownRevisions(mesh);
  if (clashesWithRevision(mesh, tag, revisions)) {
    return `tag "${tag}" has the name of a revision of MeshConfig ${meshName(mesh)}; choose another name`;
  }
  if (revision !== activeTagValue && !revisions.includes(revision)) {
    return (
      `revision "${revision}" is not a revision of MeshConfig ${meshName(mesh)} ` +
      `(it has: ${revisions.join(', ')}; or "${activeTagValue}" to follow the active one)`
    );
  }
  return undefined;
}
