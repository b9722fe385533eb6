// A namespace meshop created is deleted only when nothing but meshop's own objects is left in it: deleting a
// namespace deletes everything inside, including users' workloads and Istio configuration.
import type { KubeObject, ObjectClient, TypeRef } from '../kube/index.ts';
import { isKindNotServed } from '../kube/index.ts';
import { managedByValue, ownershipLabels } from '../render/index.ts';

const notOurs = `${ownershipLabels.managedBy}!=${managedByValue}`;

const userKinds: readonly TypeRef[] = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' },
  { apiVersion: 'networking.istio.io/v1', kind: 'Gateway' },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' },
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' },
  { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter' },
  { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry' },
];

/** What the cluster itself, or istiod, publishes in every namespace: not a user's. */
const publishedEverywhere = new Set(['kube-root-ca.crt', 'istio-ca-root-cert', 'istio-ca-crl']);

/** A leader-election lock kept in a ConfigMap (istiod's `istio-leader`, `istio-ip-autoallocate`, ...). */
const leaderAnnotation = 'control-plane.alpha.kubernetes.io/leader';

/**
 * Objects that are state of the cluster or of istiod, not a user's: the ConfigMaps published everywhere and
 * leader-election locks. istiod's self-signed root CA Secret is left out by the list's field selector below.
 */
function isSystemObject(kind: string, o: KubeObject): boolean {
  const name = o.metadata.name ?? '';
  if (publishedEverywhere.has(name) || name.startsWith('istio.')) return true;
  return kind === 'ConfigMap' && o.metadata.annotations?.[leaderAnnotation] !== undefined;
}

/**
 * Only existence matters here, so objects are listed as metadata: Secrets' data never reaches the operator.
 * istiod's self-signed root CA (type `istio.io/ca-root`, written when no `cacerts` is plugged in) is filtered by
 * the API server on its type, which metadata does not carry; a user's `cacerts` Secret is theirs and keeps the
 * namespace.
 */
const listFor = (kind: TypeRef, namespace: string) => ({
  namespace,
  labelSelector: notOurs,
  pageSize: 50,
  metadataOnly: true,
  ...(kind.kind === 'Secret' ? { fieldSelector: 'type!=istio.io/ca-root' } : {}),
});

export async function namespaceHoldsOthers(client: ObjectClient, namespace: string): Promise<boolean> {
  for (const kind of userKinds) {
    let items;
    try {
      items = (await client.list(kind, listFor(kind, namespace))).items;
    } catch (err) {
      if (isKindNotServed(err)) continue; // a kind the cluster does not serve (Istio CRDs removed)
      throw err;
    }
    if (items.some((o) => !isSystemObject(kind.kind, o))) return true;
  }
  return false;
}
