// ztunnel's DaemonSet: one per Linux node, on every node whatever its taints. Updates surge a new pod before
// the old one leaves, so a node is never without its ztunnel.
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import { ifSet } from '../cni/optional-fields.ts';
import { readBool, readList, readNumber, readString, readTree } from '../../values.ts';
import { ztunnelContainer } from './ztunnel-container.ts';
import {
  podSelectorLabels,
  ztunnelAnnotations,
  ztunnelLabels,
  ztunnelPodAnnotations,
  ztunnelPodLabels,
} from './ztunnel-metadata.ts';
import type { ZtunnelValues } from './ztunnel-values.ts';

/** The mesh's root certificate: from a ClusterTrustBundle when istiod publishes one, else its ConfigMap. */
function caCertVolume(v: ZtunnelValues): JsonObject {
  const bundle = readString(v.z, 'trustBundleName', '');
  if (readTree(v.z, 'env').ENABLE_CLUSTER_TRUST_BUNDLE_API === true) {
    const source = { name: `istio.io:istiod-ca:${bundle || 'root-cert'}`, path: 'root-cert.pem' };
    return { name: 'istiod-ca-cert', projected: { sources: [{ clusterTrustBundle: source }] } };
  }
  return { name: 'istiod-ca-cert', configMap: { name: bundle || 'istio-ca-root-cert' } };
}

function volumes(v: ZtunnelValues): JsonValue[] {
  const token = { path: 'istio-token', expirationSeconds: 43200, audience: 'istio-ca' };
  return [
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: token }] } },
    caCertVolume(v),
    // Created if missing: the CNI agent may not have created the socket directory yet.
    { name: 'cni-ztunnel-sock-dir', hostPath: { path: '/var/run/ztunnel', type: 'DirectoryOrCreate' } },
    { name: 'tmp', emptyDir: {} },
    ...(readBool(v.z, 'peerCaCrl.enabled', false)
      ? [{ name: 'crl-volume', configMap: { name: 'istio-ca-crl', optional: true } }]
      : []),
    ...(readList(v.z, 'volumes') as JsonValue[]),
  ];
}

function podSpec(v: ZtunnelValues): JsonObject {
  const dnsPolicy = readString(v.z, 'dnsPolicy', '');
  return {
    nodeSelector: { 'kubernetes.io/os': 'linux', ...(readTree(v.z, 'nodeSelector') as JsonObject) },
    ...ifSet('affinity', readTree(v.z, 'affinity') as JsonObject),
    serviceAccountName: v.name,
    ...ifSet('tolerations', readList(v.z, 'tolerations') as JsonValue[]),
    ...(dnsPolicy ? { dnsPolicy } : {}),
    ...ifSet('dnsConfig', readTree(v.z, 'dnsConfig') as JsonObject),
    containers: [ztunnelContainer(v)],
    priorityClassName: 'system-node-critical',
    terminationGracePeriodSeconds: readNumber(v.z, 'terminationGracePeriodSeconds', 30),
    volumes: volumes(v),
  };
}

export function ztunnelDaemonSet(v: ZtunnelValues): KubeObject {
  const annotations = ztunnelAnnotations(v);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: v.name,
      namespace: v.namespace,
      labels: ztunnelLabels(v),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      ...ifSet('updateStrategy', readTree(v.z, 'updateStrategy') as JsonObject),
      selector: { matchLabels: podSelectorLabels },
      template: {
        metadata: { labels: ztunnelPodLabels(v), annotations: ztunnelPodAnnotations(v) },
        spec: podSpec(v),
      },
    },
  };
}
