// The gateway proxy's environment: how its agent finds istiod and the CA, who it is (pod, node, workload,
// owner, mesh, cluster, network), and the user's additions. Variable for variable what Istio's gateway charts
// set, in their order; `env` and proxyMetadata entries come in sorted key order, as a Go template ranges a map.
import { cloneJsonObject } from '../../../tree/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import { readBool, readString, readTree } from '../../values.ts';
import type { GatewayModel } from './gateway-model.ts';
import { sortedEntries, toStringMap } from './string-map.ts';

function fromField(name: string, fieldPath: string, withApiVersion = true): JsonObject {
  const fieldRef: JsonObject = withApiVersion ? { apiVersion: 'v1', fieldPath } : { fieldPath };
  return { name, valueFrom: { fieldRef } };
}

const literal = (name: string, value: string): JsonObject => ({ name, value });

/** istiod serves certificates on 15012; a revisioned control plane runs as `istiod-<revision>`. */
export function caAddress(model: GatewayModel): string {
  const configured = readString(model.global, 'caAddress', '');
  if (configured) return configured;
  const istiod = model.revision ? `istiod-${model.revision}` : 'istiod';
  return `${istiod}.${model.controlPlaneNamespace}.svc:15012`;
}

/** The pod's own facts, from the downward API. */
const podFacts: readonly JsonObject[] = [
  fromField('NODE_NAME', 'spec.nodeName'),
  fromField('POD_NAME', 'metadata.name'),
  fromField('POD_NAMESPACE', 'metadata.namespace'),
  fromField('INSTANCE_IP', 'status.podIP'),
  fromField('HOST_IP', 'status.hostIP'),
  { name: 'ISTIO_CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
  fromField('SERVICE_ACCOUNT', 'spec.serviceAccountName', false),
];

/** The mesh ID defaults to the trust domain; both are left out when neither is known. */
function meshIdentity(model: GatewayModel): JsonObject[] {
  const trustDomain = readString(model.meshConfig, 'trustDomain', '');
  const meshId = readString(model.global, 'meshID', '') || trustDomain;
  return [
    ...(meshId ? [literal('ISTIO_META_MESH_ID', meshId)] : []),
    ...(trustDomain ? [literal('TRUST_DOMAIN', trustDomain)] : []),
  ];
}

/** The user's `env`, the mesh-wide proxy metadata, and the network unless `env` names one already. */
function userEnv(model: GatewayModel): JsonObject[] {
  const env = toStringMap(model.gateway.env);
  const metadata = toStringMap(readTree(model.meshConfig, 'defaultConfig.proxyMetadata'));
  const network = readString(model.global, 'network', '');
  return [
    ...sortedEntries(env).map(([k, v]) => literal(k, v)),
    ...sortedEntries(metadata).map(([k, v]) => literal(k, v)),
    ...(network && env.ISTIO_META_NETWORK === undefined ? [literal('ISTIO_META_NETWORK', network)] : []),
  ];
}

export function proxyEnv(model: GatewayModel): JsonObject[] {
  const namespace = model.namespace;
  return [
    literal('PILOT_CERT_PROVIDER', readString(model.global, 'pilotCertProvider', 'istiod')),
    literal('CA_ADDR', caAddress(model)),
    ...podFacts.map(cloneJsonObject),
    literal('ISTIO_META_WORKLOAD_NAME', model.name),
    literal(
      'ISTIO_META_OWNER',
      `kubernetes://apis/apps/v1/namespaces/${namespace}/deployments/${model.name}`,
    ),
    ...meshIdentity(model),
    // Tells the agent it cannot bind privileged ports or change iptables.
    ...(readBool(model.gateway, 'runAsRoot', false) ? [] : [literal('ISTIO_META_UNPRIVILEGED_POD', 'true')]),
    ...userEnv(model),
    literal(
      'ISTIO_META_CLUSTER_ID',
      readString(model.global, 'multiCluster.clusterName', '') || 'Kubernetes',
    ),
    fromField('ISTIO_META_NODE_NAME', 'spec.nodeName', false),
  ];
}
