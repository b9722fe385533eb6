// ztunnel's environment: where its CA and config server (istiod of its revision) are, how it logs, which
// cluster and network it is in, and the pod facts it reports. Proxy metadata and user env come last.
import type { JsonObject } from '../../../tree/index.ts';
import { readBool, readNumber, readString, readTree } from '../../values.ts';
import { envEntries } from '../cni/string-values.ts';
import type { ZtunnelValues } from './ztunnel-values.ts';

const fieldEnv = (name: string, fieldPath: string): JsonObject => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});
const cpuEnv = (name: string, resource: string): JsonObject => ({
  name,
  valueFrom: { resourceFieldRef: { resource, divisor: '1' } },
});

/** istiod's XDS and CA port in its namespace: `istiod[-<rev>].<ns>.svc:15012`. */
export function istiodAddress(v: ZtunnelValues): string {
  const service = v.revision ? `istiod-${v.revision}` : 'istiod';
  return `${service}.${readString(v.z, 'istioNamespace', 'istio-system')}.svc:15012`;
}

function controlPlaneEnv(v: ZtunnelValues): JsonObject[] {
  const network = readString(v.z, 'network', '');
  return [
    { name: 'CA_ADDRESS', value: readString(v.z, 'caAddress', '') || istiodAddress(v) },
    { name: 'XDS_ADDRESS', value: readString(v.z, 'xdsAddress', '') || istiodAddress(v) },
    ...(readBool(v.z, 'logAsJson', false) ? [{ name: 'LOG_FORMAT', value: 'json' }] : []),
    ...(network ? [{ name: 'NETWORK', value: network }] : []),
    { name: 'RUST_LOG', value: readString(v.z, 'logLevel', 'info') },
    { name: 'RUST_BACKTRACE', value: '1' },
    { name: 'ISTIO_META_CLUSTER_ID', value: readString(v.z, 'multiCluster.clusterName', '') || 'Kubernetes' },
    // ztunnel runs inside each captured pod's network namespace, handed over by the CNI agent.
    { name: 'INPOD_ENABLED', value: 'true' },
    // ztunnel drains for one second less than Kubernetes waits.
    {
      name: 'TERMINATION_GRACE_PERIOD_SECONDS',
      value: String(readNumber(v.z, 'terminationGracePeriodSeconds', 30)),
    },
  ];
}

/** Only CPU figures that were set get their own env var: ztunnel sizes its worker pool from them. */
function cpuEnvs(v: ZtunnelValues): JsonObject[] {
  return [
    cpuEnv('ZTUNNEL_CPU_LIMIT', 'limits.cpu'),
    ...(readString(v.z, 'resources.limits.cpu', '')
      ? [cpuEnv('ZTUNNEL_RESOURCE_CPU_LIMIT', 'limits.cpu')]
      : []),
    ...(readString(v.z, 'resources.requests.cpu', '')
      ? [cpuEnv('ZTUNNEL_RESOURCE_CPU_REQUEST', 'requests.cpu')]
      : []),
  ];
}

export function ztunnelEnv(v: ZtunnelValues): JsonObject[] {
  return [
    ...controlPlaneEnv(v),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    fieldEnv('NODE_NAME', 'spec.nodeName'),
    fieldEnv('INSTANCE_IP', 'status.podIP'),
    fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    ...envEntries(readTree(v.z, 'meshConfig.defaultConfig.proxyMetadata')),
    ...cpuEnvs(v),
    ...envEntries(readTree(v.z, 'env')),
    ...(readBool(v.z, 'peerCaCrl.enabled', false)
      ? [{ name: 'CRL_PATH', value: '/var/run/secrets/istio/crl/ca-crl.pem' }]
      : []),
  ];
}
