// The gateway pod's volumes and where the proxy mounts them: sockets and scratch space the agent and Envoy
// share, the pod's own labels, a short-lived token for the CA (audience `istio-ca` by default), the mesh's root
// certificate, the revision's mesh config, and optional secrets and config maps the values name.
import { cloneJsonObject, isJsonObject } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import { revisioned } from '../../context.ts';
import { readBool, readList, readString } from '../../values.ts';
import type { GatewayModel } from './gateway-model.ts';

export interface PodVolumes {
  volumes: JsonObject[];
  mounts: JsonObject[];
}

const emptyDir = (name: string): JsonObject => ({ name, emptyDir: {} });
const mount = (name: string, mountPath: string, readOnly = false): JsonObject =>
  readOnly ? { name, mountPath, readOnly } : { name, mountPath };

/** Token lifetime Istio asks for: 12 hours; the kubelet refreshes it well before. */
const tokenSeconds = 43200;

/** The root certificate istiod publishes: in a ConfigMap in every namespace, or as a ClusterTrustBundle. */
function caCertVolume(model: GatewayModel): JsonObject {
  const bundle = readString(model.global, 'trustBundleName', '');
  const trustBundleApi = model.pilotEnv.ENABLE_CLUSTER_TRUST_BUNDLE_API;
  if (trustBundleApi === true || trustBundleApi === 'true') {
    const clusterTrustBundle = { name: `istio.io:istiod-ca:${bundle || 'root-cert'}`, path: 'root-cert.pem' };
    return { name: 'istiod-ca-cert', projected: { sources: [{ clusterTrustBundle }] } };
  }
  return { name: 'istiod-ca-cert', configMap: { name: bundle || 'istio-ca-root-cert' } };
}

function tokenVolume(model: GatewayModel): JsonObject {
  const audience = readString(model.global, 'sds.token.aud', 'istio-ca');
  const serviceAccountToken = { path: 'istio-token', expirationSeconds: tokenSeconds, audience };
  return { name: 'istio-token', projected: { sources: [{ serviceAccountToken }] } };
}

const podInfo: ReadonlyJsonObject = {
  name: 'podinfo',
  downwardAPI: {
    items: [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
      { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
    ],
  },
};

/** `secretVolumes` / `configVolumes` entries of the values: {name, secretName | configMapName, mountPath}. */
function namedVolumes(model: GatewayModel, key: string): ReadonlyJsonObject[] {
  return readList(model.gateway, key).filter(isJsonObject);
}

function userVolumes(model: GatewayModel): PodVolumes {
  const secrets = namedVolumes(model, 'secretVolumes');
  const configs = namedVolumes(model, 'configVolumes');
  const str = (v: ReadonlyJsonObject, key: string): string => readString(v, key, '');
  return {
    volumes: [
      ...secrets.map((v) => ({
        name: str(v, 'name'),
        secret: { secretName: str(v, 'secretName'), optional: true },
      })),
      ...configs.map((v) => ({
        name: str(v, 'name'),
        configMap: { name: str(v, 'configMapName'), optional: true },
      })),
    ],
    mounts: [...secrets, ...configs]
      .filter((v) => str(v, 'mountPath') !== '')
      .map((v) => mount(str(v, 'name'), str(v, 'mountPath'), true)),
  };
}

/** Keys and certificates from a secret instead of the CA, when `global.mountMtlsCerts` asks for them. */
function mtlsCerts(model: GatewayModel): PodVolumes {
  if (!readBool(model.global, 'mountMtlsCerts', false)) return { volumes: [], mounts: [] };
  const secretName = `istio.${model.kind.valuesKey}-service-account`;
  return {
    volumes: [{ name: 'istio-certs', secret: { secretName, optional: true } }],
    mounts: [mount('istio-certs', '/etc/certs', true)],
  };
}

export function podVolumes(model: GatewayModel): PodVolumes {
  const fromIstiod = readString(model.global, 'pilotCertProvider', 'istiod') === 'istiod';
  const certs = mtlsCerts(model);
  const user = userVolumes(model);
  const volumes = [
    emptyDir('workload-socket'),
    emptyDir('credential-socket'),
    emptyDir('workload-certs'),
    ...(fromIstiod ? [caCertVolume(model)] : []),
    cloneJsonObject(podInfo),
    emptyDir('istio-envoy'),
    emptyDir('istio-data'),
    tokenVolume(model),
    ...certs.volumes,
    { name: 'config-volume', configMap: { name: revisioned(model, 'istio'), optional: true } },
    ...user.volumes,
  ];
  const mounts = [
    mount('workload-socket', '/var/run/secrets/workload-spiffe-uds'),
    mount('credential-socket', '/var/run/secrets/credential-uds'),
    mount('workload-certs', '/var/run/secrets/workload-spiffe-credentials'),
    mount('istio-envoy', '/etc/istio/proxy'),
    mount('config-volume', '/etc/istio/config'),
    ...(fromIstiod ? [mount('istiod-ca-cert', '/var/run/secrets/istio')] : []),
    mount('istio-token', '/var/run/secrets/tokens', true),
    ...certs.mounts,
    mount('istio-data', '/var/lib/istio/data'),
    mount('podinfo', '/etc/istio/pod'),
    ...user.mounts,
  ];
  return { volumes, mounts };
}
