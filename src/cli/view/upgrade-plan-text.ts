// The upgrade plan as a person reads it before saying yes: one heading per kind of effect, the objects it
// touches listed under it, and the skew verdict last (it decides whether anything happens at all).
import { allowVersionSkewAnnotation } from '../../api/index.ts';
import { SkewVerdict, movesRevision } from '../upgrade-plan.ts';
import type { UpgradePlan } from '../upgrade-plan.ts';

const indent = '    ';

function section(heading: string, items: readonly string[]): string[] {
  return [`  ${heading}`, ...items.map((i) => `${indent}${i}`)];
}

function strategyLines(p: UpgradePlan): string[] {
  const switched = p.fromStrategy === p.strategy ? p.strategy : `${p.fromStrategy} -> ${p.strategy}`;
  if (!movesRevision(p)) {
    return [
      `  Strategy: ${switched}: revision ${p.toRevision} is updated in place; istiod rolls out, the gateways follow`,
    ];
  }
  return [
    `  Strategy: ${switched}: new revision ${p.toRevision} is installed beside ${p.fromRevision}`,
    `${indent}${p.fromRevision} stays while anything uses it, and is removed ` +
      `${String(p.gracePeriodSeconds)}s after its last use`,
  ];
}

function gatewayLines(p: UpgradePlan): string[] {
  if (p.gateways.length === 0) return [];
  return [`  Gateways rolled out with ${p.toVersion}: ${p.gateways.join(', ')}`];
}

function tagLines(p: UpgradePlan): string[] {
  if (!movesRevision(p)) return [];
  if (p.movingTags.length === 0) return [`  Tags moving to ${p.toRevision}: none`];
  return [`  Tags moving to ${p.toRevision}: ${p.movingTags.map((t) => `${t} (active)`).join(', ')}`];
}

function namespaceLines(p: UpgradePlan): string[] {
  if (!movesRevision(p)) return [];
  const label = `istio.io/rev=${p.fromRevision}`;
  if (p.namespaces.length === 0) return [`  Namespaces labelled ${label}: none`];
  if (p.migrateNamespaces) {
    return section(`Namespaces relabelled ${label} -> ${p.toRevision} (migrateNamespaces):`, p.namespaces);
  }
  return section(
    `Namespaces that keep ${label} (migrateNamespaces is off: relabel them yourself, or use a tag):`,
    p.namespaces,
  );
}

function workloadLines(p: UpgradePlan): string[] {
  const { restartable, manual, excluded } = p.workloads;
  const lines: string[] = [];
  if (restartable.length === 0) lines.push(`  Workloads restarted: none run ${p.fromRevision}'s proxy`);
  else if (p.restartWorkloads) {
    const batch = `in batches of ${String(p.batchSize)}`;
    lines.push(
      ...section(
        `Workloads restarted ${batch}, each once it is re-injected (restartWorkloads):`,
        restartable,
      ),
    );
  } else {
    const why = 'restartWorkloads is off: they get the new proxy at their next restart';
    lines.push(...section(`Workloads not restarted (${why}):`, restartable));
  }
  if (excluded.length > 0) lines.push(...section('Workloads not restarted (excludeNamespaces):', excluded));
  if (manual.length > 0) {
    lines.push(
      ...section('Manual restart required (bare Pods and Jobs; meshop never deletes them):', manual),
    );
  }
  return lines;
}

function skewLines(p: UpgradePlan): string[] {
  switch (p.skew.verdict) {
    case SkewVerdict.Ok:
      return ['  Version skew: ok'];
    case SkewVerdict.Overridden:
      return [
        `  Version skew: allowed by the annotation ${allowVersionSkewAnnotation}: ${p.skew.problem ?? ''}`,
      ];
    case SkewVerdict.Refused:
      return [`  Version skew: refused: ${p.skew.problem ?? ''}`];
  }
}

export function formatUpgradePlan(p: UpgradePlan): string {
  if (p.noop) {
    return `MeshConfig ${p.mesh} already asks for version ${p.toVersion} with ${p.strategy}: nothing to do\n`;
  }
  const lines = [
    `Upgrade plan for MeshConfig ${p.mesh}:`,
    `  Version: ${p.fromVersion} -> ${p.toVersion}`,
    ...strategyLines(p),
    ...gatewayLines(p),
    ...tagLines(p),
    ...namespaceLines(p),
    ...workloadLines(p),
    ...skewLines(p),
  ];
  return lines.map((l) => `${l}\n`).join('');
}
