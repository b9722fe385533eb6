// The install-cni container: it installs the plugin on the node, then stays as the node agent (repair
// controller and, in ambient mode, the pod traffic redirector). It runs as root without `privileged`,
// holding only the capabilities those jobs need.
import type { JsonObject } from '../../../tree/index.ts';
import { readBool, readString, readTree } from '../../values.ts';
import { imageRef, ownOrGlobal } from './image-ref.ts';
import { cniConfigName, cniContainerName } from './cni-metadata.ts';
import type { CniValues } from './cni-values.ts';
import { cniVolumeMounts } from './cni-volumes.ts';
import { resourceRequirements } from './resource-requirements.ts';
import { envEntries } from './string-values.ts';

const fieldEnv = (name: string, fieldPath: string): JsonObject => ({
  name,
  valueFrom: { fieldRef: { fieldPath } },
});
const resourceEnv = (name: string, resource: string): JsonObject => ({
  name,
  valueFrom: { resourceFieldRef: { resource, divisor: '1' } },
});

export function cniImage(v: CniValues): string {
  return imageRef({
    image: readString(v.cni, 'image', ''),
    defaultName: 'install-cni',
    hub: ownOrGlobal(v.cni, v.global, 'hub'),
    tag: ownOrGlobal(v.cni, v.global, 'tag'),
    variant: ownOrGlobal(v.cni, v.global, 'variant'),
  });
}

function env(v: CniValues): JsonObject[] {
  const sharesHostNetwork =
    readBool(v.cni, 'ambient.enabled', false) && readBool(v.cni, 'ambient.shareHostNetworkNamespace', false);
  return [
    fieldEnv('REPAIR_NODE_NAME', 'spec.nodeName'),
    { name: 'REPAIR_RUN_AS_DAEMON', value: 'true' },
    { name: 'REPAIR_SIDECAR_ANNOTATION', value: 'sidecar.istio.io/status' },
    // Already in the host's network namespace, the agent has nothing to switch to.
    ...(sharesHostNetwork ? [] : [{ name: 'ALLOW_SWITCH_TO_HOST_NS', value: 'true' }]),
    { name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    resourceEnv('GOMEMLIMIT', 'limits.memory'),
    resourceEnv('GOMAXPROCS', 'limits.cpu'),
    fieldEnv('POD_NAME', 'metadata.name'),
    fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
    ...envEntries(readTree(v.cni, 'env')),
  ];
}

function args(v: CniValues): string[] {
  const level = readString(v.cni, 'logging.level', '') || readString(v.global, 'logging.level', '');
  return [
    ...(level ? [`--log_output_level=${level}`] : []),
    ...(readBool(v.global, 'logAsJson', false) ? ['--log_as_json'] : []),
  ];
}

function securityContext(v: CniValues): JsonObject {
  const seLinux = readTree(v.cni, 'seLinuxOptions');
  const seccomp = readTree(v.cni, 'seccompProfile');
  return {
    // Without the pod annotation (Kubernetes < 1.30), AppArmor is lifted here instead.
    ...(readBool(v.cni, 'useAppArmorAnnotation', true) ? {} : { appArmorProfile: { type: 'Unconfined' } }),
    privileged: false,
    runAsGroup: 0,
    runAsUser: 0,
    runAsNonRoot: false,
    capabilities: {
      drop: ['ALL'],
      // Routes and ipsets; iptables' nat table; inspecting and entering pod network namespaces; writing into
      // host directories owned by other users.
      add: ['NET_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_ADMIN', 'DAC_OVERRIDE'],
    },
    // Any SELinux setting at all implies the super-privileged container type unless it names another.
    ...(Object.keys(seLinux).length > 0 ? { seLinuxOptions: { type: 'spc_t', ...seLinux } } : {}),
    ...(Object.keys(seccomp).length > 0 ? { seccompProfile: seccomp as JsonObject } : {}),
  };
}

function resources(v: CniValues): JsonObject {
  const own = readTree(v.cni, 'resources');
  return resourceRequirements(Object.keys(own).length > 0 ? own : readTree(v.global, 'defaultResources'));
}

export function cniContainer(v: CniValues): JsonObject {
  const policy = readString(v.cni, 'pullPolicy', '') || readString(v.global, 'imagePullPolicy', '');
  return {
    name: cniContainerName,
    image: cniImage(v),
    ...(policy ? { imagePullPolicy: policy } : {}),
    ports: [{ containerPort: 15014, name: 'metrics', protocol: 'TCP' }],
    readinessProbe: { httpGet: { path: '/readyz', port: 8000 } },
    securityContext: securityContext(v),
    command: ['install-cni'],
    args: args(v),
    envFrom: [{ configMapRef: { name: cniConfigName } }],
    env: env(v),
    volumeMounts: cniVolumeMounts(v),
    resources: resources(v),
  };
}
