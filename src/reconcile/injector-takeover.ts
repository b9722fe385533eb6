// The `default` revision tag takes over `istio-injection=enabled` from an old unrevisioned control plane. Both
// injectors would then match the same namespaces and a pod would be injected twice, so the old injector's
// webhooks are made inert (selectors that never match, as `istioctl tag set default` does) while its istiod
// keeps serving the pods it already injected. Removing the old revision later deletes them; a rollback re-applies
// the unrevisioned render, which restores the selectors.
import type { KubeObject, ObjectClient } from '../kube/index.ts';
import { controlPlaneSelector } from '../render/index.ts';
import { defaultRevisionName } from '../revisions/index.ts';
import type { MeshObject } from './mesh-object.ts';
import type { RevisionTarget } from './revision-state.ts';

const mutatingType = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };

/** Istio's own marker for a deactivated injector. */
const neverMatch = {
  matchExpressions: [{ key: 'istio.io/deactivated', operator: 'In', values: ['never-match'] }],
};

type Webhook = Record<string, unknown>;

const isInert = (w: Webhook): boolean =>
  JSON.stringify(w.namespaceSelector) === JSON.stringify(neverMatch) &&
  JSON.stringify(w.objectSelector) === JSON.stringify(neverMatch);

export async function deactivateUnrevisionedInjector(
  client: ObjectClient,
  mesh: MeshObject,
  target: RevisionTarget,
  kept: readonly string[],
): Promise<void> {
  if (target.tags.default === undefined || target.revision === defaultRevisionName) return;
  if (!kept.includes(defaultRevisionName)) return;
  const selector = controlPlaneSelector(mesh.metadata.name ?? '', defaultRevisionName);
  const injectors = (await client.list(mutatingType, { labelSelector: selector })).items;
  for (const injector of injectors) {
    const webhooks = (injector as KubeObject & { webhooks?: Webhook[] }).webhooks ?? [];
    if (webhooks.every(isInert)) continue;
    const inert = webhooks.map((w) => ({ ...w, namespaceSelector: neverMatch, objectSelector: neverMatch }));
    await client.mergePatch(
      { ...mutatingType, name: injector.metadata.name ?? '' },
      { webhooks: inert, metadata: { resourceVersion: injector.metadata.resourceVersion } },
    );
  }
}
