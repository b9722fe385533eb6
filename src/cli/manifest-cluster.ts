// The two sides of `manifest diff --cluster`, as `kubectl diff --server-side` builds them: each rendered object
// as it is live, and as it would be after the operator's apply (a dry-run server-side apply of exactly what the
// operator sends: same field manager, render-hash stamp, fields other controllers own kept). Comparing with the
// dry-run result, not the raw render, hides what the API server adds (defaults, canonical quantities).
import {
  fieldManager,
  isConverged,
  renderHash,
  renderHashAnnotation,
  withLiveOwnedFields,
} from '../apply/index.ts';
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { isKindNotServed, refOf } from '../kube/index.ts';
import { inventoryKinds, ownedBySelector } from '../render/index.ts';
import { objectKey } from './view/object-diff.ts';

export interface ClusterSides {
  /** Live objects: the rendered ones that exist, and those the mesh owns that the render no longer has. */
  live: KubeObject[];
  /** What the operator's apply would leave: dry-run results, and rendered objects that do not exist yet. */
  wouldBe: KubeObject[];
}

// Bookkeeping the API server writes; never part of what anyone means to change.
const serverMetadata = new Set([
  'managedFields',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'uid',
]);

export function withoutServerFields(obj: KubeObject): KubeObject {
  const metadata = Object.fromEntries(Object.entries(obj.metadata).filter(([k]) => !serverMetadata.has(k)));
  const copy: KubeObject = { ...obj, metadata };
  delete copy.status;
  return copy;
}

function stamped(desired: KubeObject): KubeObject {
  const annotations = { ...desired.metadata.annotations, [renderHashAnnotation]: renderHash(desired) };
  return { ...desired, metadata: { ...desired.metadata, annotations } };
}

async function compareOne(
  client: ObjectClient,
  desired: KubeObject,
): Promise<{ live?: KubeObject; wouldBe: KubeObject }> {
  const live = await client.find(refOf(desired));
  if (live === undefined) return { wouldBe: desired };
  const intent = withLiveOwnedFields(stamped(desired), live);
  // The operator skips converged objects without a write; so does the diff.
  if (isConverged(intent, live)) return { live, wouldBe: live };
  const result = await client.apply(intent, { fieldManager, force: true, dryRun: true });
  return { live, wouldBe: result };
}

async function ownedLive(client: ObjectClient, mesh: string): Promise<KubeObject[]> {
  const lists = await Promise.all(
    inventoryKinds.map(async (type) => {
      try {
        return (await client.list(type, { labelSelector: ownedBySelector(mesh) })).items;
      } catch (err) {
        if (isKindNotServed(err)) return [];
        throw err;
      }
    }),
  );
  return lists.flat();
}

export async function clusterSides(
  client: ObjectClient,
  mesh: string,
  rendered: readonly KubeObject[],
): Promise<ClusterSides> {
  const results: { live?: KubeObject; wouldBe: KubeObject }[] = [];
  // A few requests in flight at once, as the operator's own apply does.
  const width = 8;
  for (let i = 0; i < rendered.length; i += width) {
    results.push(...(await Promise.all(rendered.slice(i, i + width).map((o) => compareOne(client, o)))));
  }
  const keys = new Set(rendered.map(objectKey));
  const extra = (await ownedLive(client, mesh)).filter((o) => !keys.has(objectKey(o)));
  const live = [...results.flatMap((r) => (r.live === undefined ? [] : [r.live])), ...extra];
  return { live: live.map(withoutServerFields), wouldBe: results.map((r) => withoutServerFields(r.wouldBe)) };
}
