// `meshop status` as text: one summary line per mesh (like `kubectl get`), then per mesh its revisions, tags,
// components, gateways and migration progress. Pure: MeshConfig objects in, text out. `wide` adds columns and
// the full condition list, never removes anything.
import type {
  ComponentStatus,
  Condition,
  InUse,
  MeshConfigStatus,
  MigrationStatus,
  RevisionStatus,
} from '../../api/index.ts';
import { ComponentPhase, ConditionStatus, ConditionType, withDefaults } from '../../api/index.ts';
import { defaultVersion } from '../../catalog/index.ts';
import type { StoredMesh } from '../cluster-meshes.ts';
import { isGateway, meshName } from '../cluster-meshes.ts';
import { activeRevisionOf, activeTagValue } from '../revision-tags.ts';
import { formatTable, shortList } from './text-table.ts';
import type { Row } from './text-table.ts';

export interface StatusFormatOptions {
  wide: boolean;
}

// Istio's own default, which the renderer applies when spec.namespace is unset.
const defaultNamespace = 'istio-system';

const conditionOf = (status: MeshConfigStatus | undefined, type: string): Condition | undefined =>
  status?.conditions?.find((c) => c.type === type);

const conditionText = (status: MeshConfigStatus | undefined, type: string): string =>
  conditionOf(status, type)?.status ?? ConditionStatus.Unknown;

const boolText = (value: boolean | undefined): string =>
  value === undefined ? ConditionStatus.Unknown : value ? ConditionStatus.True : ConditionStatus.False;

/** Gateways are the components named after their gateway (istio-ingressgateway, edge-egressgateway...). */

const versionText = (mesh: StoredMesh): string => mesh.spec?.version ?? `${defaultVersion} (default)`;

function summaryRow(mesh: StoredMesh, wide: boolean): Row {
  const { status } = mesh;
  const spec = withDefaults(mesh.spec);
  const row = [
    meshName(mesh),
    versionText(mesh),
    spec.profile,
    conditionText(status, ConditionType.Ready),
    status?.activeRevision,
    status?.revisionsReady,
  ];
  if (!wide) return row;
  return [
    ...row,
    spec.namespace ?? defaultNamespace,
    spec.updateStrategy.type,
    conditionText(status, ConditionType.Reconciled),
    conditionText(status, ConditionType.Degraded),
    conditionText(status, ConditionType.Upgrading),
  ];
}

function summary(meshes: readonly StoredMesh[], wide: boolean): string {
  const header = ['NAME', 'VERSION', 'PROFILE', 'READY', 'ACTIVE REVISION', 'REVISIONS'];
  const wideHeader = [...header, 'NAMESPACE', 'STRATEGY', 'RECONCILED', 'DEGRADED', 'UPGRADING'];
  return formatTable(
    wide ? wideHeader : header,
    meshes.map((m) => summaryRow(m, wide)),
  );
}

const joined = (list: readonly string[] | undefined): string => (list ?? []).join(',');

function revisionRow(r: RevisionStatus, wide: boolean): Row {
  const use: Partial<InUse> = r.inUse ?? {};
  const row = [
    r.name,
    r.version,
    boolText(r.ready),
    use.status ?? ConditionStatus.Unknown,
    shortList(use.namespaces, wide ? 50 : 3),
    use.pods,
    joined(use.tags),
  ];
  if (!wide) return row;
  return [...row, joined(use.gateways), use.reason, r.since, use.message];
}

function revisions(status: MeshConfigStatus, wide: boolean): string {
  const list = status.revisions ?? [];
  if (list.length === 0) return '  Revisions: none yet\n';
  const header = ['NAME', 'VERSION', 'READY', 'IN USE', 'NAMESPACES', 'PODS', 'TAGS'];
  const wideHeader = [...header, 'GATEWAYS', 'REASON', 'SINCE', 'MESSAGE'];
  const rows = list.map((r) => revisionRow(r, wide));
  return `  Revisions:\n${formatTable(wide ? wideHeader : header, rows, '    ')}`;
}

function tags(mesh: StoredMesh): string {
  const wanted = mesh.spec?.revisionTags ?? {};
  const applied = mesh.status?.tags ?? {};
  const names = [...new Set([...Object.keys(wanted), ...Object.keys(applied)])].sort();
  if (names.length === 0) return '';
  const rows = names.map((tag) => {
    const spec = wanted[tag];
    const shown = spec === activeTagValue ? `${spec} (${activeRevisionOf(mesh)})` : (spec ?? '');
    return [tag, shown, applied[tag] ?? ''];
  });
  return `  Tags:\n${formatTable(['TAG', 'SPEC', 'APPLIED'], rows, '    ')}`;
}

function componentTable(title: string, list: readonly ComponentStatus[], wide: boolean): string {
  if (list.length === 0) return '';
  const rows = list.map((c) => [
    c.name,
    c.revision ?? '',
    c.phase,
    wide || c.phase !== ComponentPhase.Healthy ? (c.message ?? '') : '',
  ]);
  return `  ${title}:\n${formatTable(['NAME', 'REVISION', 'PHASE', 'MESSAGE'], rows, '    ')}`;
}

const detailLine = (title: string, items: readonly string[] | undefined, note = ''): string[] =>
  items === undefined || items.length === 0 ? [] : [`    ${title}: ${items.join(', ')}${note}`];

function migration(m: MigrationStatus | undefined): string {
  if (m === undefined) return '';
  const progress = `${String(m.done ?? 0)}/${String(m.total ?? 0)} workloads restarted`;
  const lines = [
    `  Migration: ${joined(m.from) || '?'} -> ${m.to ?? '?'}: ${progress}`,
    ...detailLine('Current batch', m.current),
    ...detailLine(
      'Blocked by',
      m.blockedBy === undefined ? [] : [m.blockedBy],
      ' (nothing more is restarted)',
    ),
    ...detailLine('Manual restart required', m.manualRestartRequired),
  ];
  return lines.map((l) => `${l}\n`).join('');
}

// Degraded and Upgrading are news when True; Ready and Reconciled when they are not.
const newsWhenTrue = new Set<string>([ConditionType.Degraded, ConditionType.Upgrading]);
const needsAttention = (c: Condition): boolean =>
  newsWhenTrue.has(c.type) === (c.status === ConditionStatus.True);

/** The conditions that need attention, one line each; all of them in wide mode. */
function conditions(status: MeshConfigStatus, wide: boolean): string {
  const list = status.conditions ?? [];
  if (wide) {
    if (list.length === 0) return '';
    const rows = list.map((c) => [c.type, c.status, c.reason, c.message]);
    return `  Conditions:\n${formatTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], rows, '    ')}`;
  }
  return list
    .filter(needsAttention)
    .map((c) => `  ${c.type}=${c.status} (${c.reason}): ${c.message}\n`)
    .join('');
}

function details(mesh: StoredMesh, wide: boolean): string {
  const head = `MeshConfig ${meshName(mesh)}:\n`;
  const status = mesh.status;
  if (status === undefined || Object.keys(status).length === 0) {
    return `${head}  no status yet: the operator has not reconciled it (is the operator running?)\n`;
  }
  const components = status.components ?? [];
  return [
    head,
    conditions(status, wide),
    revisions(status, wide),
    tags(mesh),
    componentTable(
      'Components',
      components.filter((c) => !isGateway(c)),
      wide,
    ),
    componentTable('Gateways', components.filter(isGateway), wide),
    migration(status.migration),
  ].join('');
}

export function formatStatus(meshes: readonly StoredMesh[], options: StatusFormatOptions): string {
  if (meshes.length === 0) return 'No MeshConfig found.\n';
  return [summary(meshes, options.wide), ...meshes.map((m) => details(m, options.wide))].join('\n');
}
