// The gateway's only container: Envoy and the Istio agent (`proxy router`), unprivileged, listening on the
// target ports of the gateway's Service ports, ready when the agent reports Envoy ready on 15021.
import { cloneJsonObject, isJsonObject } from '../../../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject, ReadonlyJsonValue } from '../../../tree/index.ts';
import { readBool, readList, readNumber, readString, readTree } from '../../values.ts';
import type { GatewayModel } from './gateway-model.ts';
import { podVolumes } from './pod-volumes.ts';
import { proxyEnv } from './proxy-env.ts';

export const proxyContainerName = 'istio-proxy';

/** Where Envoy serves its own Prometheus metrics. */
const envoyMetricsPort = { containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' } as const;

/** The agent's health endpoint on the status port; gateways wait up to a minute for their first config. */
const readinessProbe = {
  httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
  initialDelaySeconds: 1,
  periodSeconds: 2,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 30,
} as const;

const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
} as const;

/** Each Service port is served on its target port (or the port itself); left unnamed, as Istio leaves them. */
function containerPorts(model: GatewayModel): JsonObject[] {
  const ports = readList(model.gateway, 'ports').filter(isJsonObject);
  return [
    ...ports.map((p) => ({
      containerPort: readNumber(p, 'targetPort', 0) || readNumber(p, 'port', 0),
      protocol: readString(p, 'protocol', '') || 'TCP',
    })),
    { ...envoyMetricsPort },
  ];
}

function proxyArgs(model: GatewayModel): string[] {
  const g = model.global;
  const option = (flag: string, path: string): string[] => {
    const value = readString(g, path, '');
    return value ? [`--${flag}=${value}`] : [];
  };
  const stsPort = readNumber(g, 'sts.servicePort', 0);
  return [
    'proxy',
    'router',
    '--domain',
    `$(POD_NAMESPACE).svc.${readString(g, 'proxy.clusterDomain', 'cluster.local')}`,
    ...option('proxyLogLevel', 'proxy.logLevel'),
    ...option('proxyComponentLogLevel', 'proxy.componentLogLevel'),
    ...option('log_output_level', 'logging.level'),
    ...(readBool(g, 'logAsJson', false) ? ['--log_as_json'] : []),
    ...(stsPort ? [`--stsPort=${stsPort}`] : []),
  ];
}

/** Only the quantities actually set: an empty request or limit would mean "zero", not "unset". */
function setQuantities(quantities: ReadonlyJsonValue | undefined): JsonObject | undefined {
  if (!isJsonObject(quantities)) return undefined;
  const set = Object.entries(quantities).filter(([, v]) => v !== null && v !== '' && v !== 0 && v !== false);
  return set.length > 0 ? (Object.fromEntries(set) as JsonObject) : undefined;
}

/** The gateway's resources, or the global defaults when the values removed them. */
function proxyResources(model: GatewayModel): JsonObject {
  const own = readTree(model.gateway, 'resources');
  const resources: ReadonlyJsonObject =
    Object.keys(own).length > 0 ? own : readTree(model.global, 'defaultResources');
  const out: JsonObject = {};
  for (const key of ['limits', 'requests']) {
    const quantities = setQuantities(resources[key]);
    if (quantities) out[key] = quantities;
  }
  return out;
}

export function proxyContainer(model: GatewayModel): JsonObject {
  const pullPolicy = readString(model.global, 'imagePullPolicy', '');
  const runAsRoot = readBool(model.gateway, 'runAsRoot', false);
  return {
    name: proxyContainerName,
    image: model.image,
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ports: containerPorts(model),
    args: proxyArgs(model),
    ...(runAsRoot ? {} : { securityContext: cloneJsonObject(restricted) }),
    readinessProbe: cloneJsonObject(readinessProbe),
    resources: proxyResources(model),
    env: proxyEnv(model),
    volumeMounts: podVolumes(model).mounts,
  };
}
