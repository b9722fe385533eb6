// migrateNamespaces: once a new revision serves, namespaces that name an old revision (istio.io/rev=<old>, or
// istio-injection=enabled meaning the old unrevisioned control plane) are relabelled to the target, in the same
// pass as the restarts, which read the snapshot as the relabelling left it. Namespaces that follow a tag move by
// themselves when the tag moves.
import type { MeshConfigSpec } from '../api/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { IstioLabel, defaultRevisionName, namespaceRevision } from '../revisions/index.ts';
import { EventType } from './events.ts';
import type { MeshObject } from './mesh-object.ts';
import { oldRevisions } from './migration-stage.ts';
import type { MigrationContext, MigrationDeps, MigrationInput } from './migration-stage.ts';
import type { UsageSnapshot } from './usage-source.ts';

/** Whether a namespace's labels send it to an old revision by name (not through a tag, which moves by itself). */
function namesOldRevision(labels: Record<string, string>, ctx: MigrationContext): boolean {
  const injection = labels[IstioLabel.injection];
  if (injection !== undefined) {
    // istio-injection=enabled means the unrevisioned control plane when no default tag takes it over.
    return (
      injection === 'enabled' &&
      namespaceRevision(labels, ctx.target.tags) === defaultRevisionName &&
      ctx.old.includes(defaultRevisionName)
    );
  }
  const direct = labels[IstioLabel.revision];
  return direct !== undefined && ctx.old.includes(direct);
}

/** Relabels namespaces that name an old revision to the target revision; returns the snapshot as it is now. */
async function migrateNamespaces(
  deps: MigrationDeps,
  mesh: MeshObject,
  ctx: MigrationContext,
): Promise<UsageSnapshot> {
  const moved: string[] = [];
  for (const ns of ctx.snapshot.namespaces) {
    if (!namesOldRevision(ns.metadata.labels ?? {}, ctx)) continue;
    await deps.client.mergePatch(
      { apiVersion: 'v1', kind: 'Namespace', name: ns.metadata.name ?? '' },
      { metadata: { labels: { [IstioLabel.revision]: ctx.target.revision, [IstioLabel.injection]: null } } },
    );
    moved.push(ns.metadata.name ?? '');
  }
  if (moved.length === 0) return ctx.snapshot;
  await deps.events.record(
    mesh,
    EventType.Normal,
    'NamespacesMigrated',
    `relabelled to istio.io/rev=${ctx.target.revision}: ${moved.join(', ')}`,
  );
  // The workloads in them can move in this same pass: the snapshot is what the cluster now holds.
  const relabel = (ns: KubeObject): KubeObject => {
    if (!moved.includes(ns.metadata.name ?? '')) return ns;
    const kept = Object.entries(ns.metadata.labels ?? {}).filter(([key]) => key !== IstioLabel.injection);
    const labels = { ...Object.fromEntries(kept), [IstioLabel.revision]: ctx.target.revision };
    return { ...ns, metadata: { ...ns.metadata, labels } };
  };
  return { ...ctx.snapshot, namespaces: ctx.snapshot.namespaces.map(relabel) };
}

/**
 * migrateNamespaces: relabels the namespaces that name an old revision; returns the snapshot as the cluster now
 * holds it, so what reads it next (the restarts, the usage of each revision) sees the move in this same pass.
 */
export async function moveNamespaces(
  deps: MigrationDeps,
  mesh: MeshObject,
  input: MigrationInput,
): Promise<UsageSnapshot> {
  const old = oldRevisions(input);
  const spec = mesh.spec as MeshConfigSpec | undefined;
  if (old.length === 0 || spec?.updateStrategy?.migrateNamespaces !== true) return input.snapshot;
  return migrateNamespaces(deps, mesh, { ...input, old });
}
