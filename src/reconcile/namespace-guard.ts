// A namespace meshop created is deleted only when nothing but meshop's own objects is left in it: deleting a
// namespace deletes everything inside, including users' workloads and Istio configuration.
import type { ObjectClient, TypeRef } from '../kube/index.ts';
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

/** Objects the cluster itself puts in every namespace, or istiod writes there: not a user's. */
const systemNames = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);

export async function namespaceHoldsOthers(client: ObjectClient, namespace: string): Promise<boolean> {
  for (const kind of userKinds) {
    let items;
    try {
      items = (await client.list(kind, { namespace, labelSelector: notOurs, pageSize: 50 })).items;
    } catch (err) {
      if (isKindNotServed(err)) continue; // a kind the cluster does not serve (Istio CRDs removed)
      throw err;
    }
    if (items.some((o) => !systemNames.has(o.metadata.name ?? '') && !o.metadata.name?.startsWith('istio.')))
      return true;
  }
  return false;
}
