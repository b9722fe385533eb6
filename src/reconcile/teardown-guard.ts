// Deleting a MeshConfig must not pull the control plane from under sidecars it still serves: while a namespace
// or pod uses one of its revisions, teardown waits and says who holds it, unless spec.teardown.force. The mesh's
// own tags and gateways do not count: teardown removes them too.
import type { MeshConfigSpec } from '../api/index.ts';
import { describeUsage, usageOf } from '../revisions/index.ts';
import { gatewayRevisions, isPodOf, observeRevisions, revisionTarget } from './revision-state.ts';
import type { MeshObject } from './mesh-object.ts';
import type { RevisionStageDeps } from './revision-stage.ts';

/** Why teardown must wait, or undefined when it may go on. A failed check also waits: Unknown deletes nothing. */
export async function teardownBlocker(
  deps: Pick<RevisionStageDeps, 'client' | 'usage'>,
  mesh: MeshObject,
): Promise<string | undefined> {
  if ((mesh.spec as MeshConfigSpec | undefined)?.teardown?.force === true) return undefined;
  const observed = await observeRevisions(deps.client, mesh);
  if (observed.length === 0) return undefined;
  const scope = { revisions: observed.map((r) => r.name), tags: revisionTarget(mesh).tags };
  let snapshot;
  try {
    snapshot = await deps.usage.read(scope);
  } catch (err) {
    return `could not check what uses the control plane (${(err as Error).message}); nothing is deleted yet`;
  }
  const own = [...Object.keys(await gatewayRevisions(deps.client, mesh)), ...observed.map((r) => r.workload)];
  const usage = usageOf({
    ...scope,
    namespaces: snapshot.namespaces.map((n) => n.metadata),
    pods: snapshot.pods.filter((p) => !isPodOf(p, own)).map((p) => p.metadata),
    gateways: {},
  });
  const held = [...usage.entries()]
    .map(([revision, u]) => ({ revision, text: describeUsage({ ...u, tags: [], gateways: [] }) }))
    .filter((h) => h.text !== '');
  if (held.length === 0) return undefined;
  return (
    held.map((h) => `revision ${h.revision} is used by ${h.text}`).join('; ') +
    '; move them to another control plane, or set spec.teardown.force: true to remove it anyway'
  );
}
