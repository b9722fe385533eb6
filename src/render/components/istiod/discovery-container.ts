// The `discovery` container of istiod: image, arguments, ports, environment, probes and mounts, from the
// merged values (chart defaults of the release under the user's values).
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import { isJsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readBool, readList, readString, readTree } from '../../values.ts';
import type { IstiodValues } from './istiod-values.ts';

const fieldEnv = (name: string, fieldPath: string): JsonObject => ({
  name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
});
const env = (name: string, value: string): JsonObject => ({ name, value });

/** `hub/image:tag[-variant]`; an image with a slash is taken as a full reference, as the chart does. */
export function pilotImage(ctx: RenderContext, v: IstiodValues): string {
  const image = readString(v.pilot, 'image', '') || 'pilot';
  if (image.includes('/')) return image;
  const hub = readString(v.pilot, 'hub', '') || ctx.hub;
  const tag = readString(v.pilot, 'tag', '') || ctx.tag;
  const variant = readString(v.pilot, 'variant', '') || readString(v.global, 'variant', '');
  return `${hub}/${image}:${tag}${variant ? `-${variant}` : ''}`;
}

function args(v: IstiodValues): JsonValue[] {
  const level = readString(v.global, 'logging.level', '');
  const taintNamespace = readString(v.pilot, 'taint.namespace', '');
  return [
    'discovery',
    '--monitoringAddr=:15014',
    ...(level ? [`--log_output_level=${level}`] : []),
    ...(readBool(v.global, 'logAsJson', false) ? ['--log_as_json'] : []),
    '--domain',
    readString(v.global, 'proxy.clusterDomain', 'cluster.local'),
    ...(taintNamespace ? [`--cniNamespace=${taintNamespace}`] : []),
    '--keepaliveMaxServerConnectionAge',
    readString(v.pilot, 'keepaliveMaxServerConnectionAge', '30m'),
    ...readList(v.pilot, 'extraContainerArgs'),
  ] as JsonValue[];
}

const ports: JsonObject[] = [
  { containerPort: 8080, protocol: 'TCP', name: 'http-debug' },
  { containerPort: 15010, protocol: 'TCP', name: 'grpc-xds' },
  { containerPort: 15012, protocol: 'TCP', name: 'tls-xds' },
  { containerPort: 15017, protocol: 'TCP', name: 'https-webhooks' },
  { containerPort: 15014, protocol: 'TCP', name: 'http-monitoring' },
];

/** Go templates print numbers without a trailing `.0`; so does String(). */
function text(value: JsonValue | undefined): string {
  return value === undefined || value === null ? '' : typeof value === 'object' ? '' : String(value);
}

function userEnv(v: IstiodValues): JsonObject[] {
  const entries = Object.entries(readTree(v.pilot, 'env'));
  // The chart ranges over a map, which Go visits in key order.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out = entries.map(([name, value]) => env(name, text(value as JsonValue)));
  if (text(readTree(v.pilot, 'env').COMPLIANCE_POLICY as JsonValue) === 'fips-140-3')
    out.push(env('GODEBUG', 'fips140=only'));
  return out;
}

function optionalEnv(v: IstiodValues): JsonObject[] {
  const out: JsonObject[] = [];
  const sampling = v.pilot.traceSampling;
  if (sampling !== undefined && sampling !== 0 && sampling !== null)
    out.push(env('PILOT_TRACE_SAMPLING', text(sampling)));
  if (readBool(v.pilot, 'taint.enabled', false)) {
    out.push(env('PILOT_ENABLE_NODE_UNTAINT_CONTROLLERS', 'true'));
    out.push(env('PILOT_NODE_UNTAINT_CONTROLLERS_TAINT_NAME', readString(v.pilot, 'taint.name', '')));
  }
  const external = v.global.externalIstiod;
  if (external === true && readTree(v.pilot, 'env').EXTERNAL_ISTIOD === undefined)
    out.push(env('EXTERNAL_ISTIOD', 'true'));
  const bundle = readString(v.global, 'trustBundleName', '');
  if (bundle) out.push(env('PILOT_CA_CERT_CONFIGMAP', bundle));
  const crl = readString(v.pilot, 'crlConfigMapName', '');
  if (crl) out.push(env('PILOT_CRL_CONFIGMAP', crl));
  return out;
}

function environment(ctx: RenderContext, v: IstiodValues): JsonValue[] {
  const trustedNs = readString(v.pilot, 'trustedZtunnelNamespace', '') || ctx.namespace;
  const trustedName = readString(v.pilot, 'trustedZtunnelName', '') || 'ztunnel';
  const userSetTrusted = readTree(v.pilot, 'env').CA_TRUSTED_NODE_ACCOUNTS !== undefined;
  return [
    env('REVISION', ctx.revision ?? 'default'),
    env('PILOT_CERT_PROVIDER', readString(v.global, 'pilotCertProvider', 'istiod')),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    env('KUBECONFIG', '/var/run/secrets/remote/config'),
    ...(userSetTrusted ? [] : [env('CA_TRUSTED_NODE_ACCOUNTS', `${trustedNs}/${trustedName}`)]),
    ...userEnv(v),
    ...(readList(v.pilot, 'envVarFrom') as JsonValue[]),
    ...optionalEnv(v),
    env('PILOT_ENABLE_ANALYSIS', String(readBool(v.global, 'istiod.enableAnalysis', false))),
    env('CLUSTER_ID', readString(v.global, 'multiCluster.clusterName', '') || 'Kubernetes'),
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
    env('PLATFORM', readString(v.global, 'platform', '') || readString(v.pilot, 'platform', '')),
  ];
}

/** Only `limits` and `requests` that hold a non-empty value survive, as in the chart. */
function resources(v: IstiodValues): JsonObject {
  const source = isJsonObject(v.pilot.resources) ? v.pilot.resources : readTree(v.global, 'defaultResources');
  const out: JsonObject = {};
  for (const key of ['limits', 'requests']) {
    const entries = Object.entries(readTree(source, key)).filter(([, value]) => Boolean(value));
    if (entries.length > 0) out[key] = Object.fromEntries(entries) as JsonObject;
  }
  return out;
}

function mounts(v: IstiodValues): JsonValue[] {
  const extraRootCa = readString(v.pilot, 'jwksResolverExtraRootCA', '');
  return [
    { name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true },
    { name: 'local-certs', mountPath: '/var/run/secrets/istio-dns' },
    { name: 'cacerts', mountPath: '/etc/cacerts', readOnly: true },
    { name: 'istio-kubeconfig', mountPath: '/var/run/secrets/remote', readOnly: true },
    ...(extraRootCa ? [{ name: 'extracacerts', mountPath: '/cacerts' }] : []),
    { name: 'istio-csr-dns-cert', mountPath: '/var/run/secrets/istiod/tls', readOnly: true },
    { name: 'istio-csr-ca-configmap', mountPath: '/var/run/secrets/istiod/ca', readOnly: true },
    ...(readList(v.pilot, 'volumeMounts') as JsonValue[]),
  ];
}

export function discoveryContainer(ctx: RenderContext, v: IstiodValues): JsonObject {
  const pullPolicy = readString(v.global, 'imagePullPolicy', '');
  const terminationPolicy = readString(v.pilot, 'terminationMessagePolicy', '');
  const seccomp = readTree(v.pilot, 'seccompProfile');
  return {
    name: 'discovery',
    image: pilotImage(ctx, v),
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ...(terminationPolicy ? { terminationMessagePolicy: terminationPolicy } : {}),
    args: args(v),
    ports,
    readinessProbe: {
      httpGet: { path: '/ready', port: 8080 },
      initialDelaySeconds: 1,
      periodSeconds: 3,
      timeoutSeconds: 5,
    },
    env: environment(ctx, v),
    resources: resources(v),
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      ...(Object.keys(seccomp).length > 0 ? { seccompProfile: seccomp as JsonObject } : {}),
    },
    volumeMounts: mounts(v),
  };
}
