// The istio-proxy container running ztunnel. It needs root and three capabilities (TPROXY and socket
// options, entering pod network namespaces, raw sockets) but not `privileged`; its root filesystem is
// read-only, with a writable /tmp for profiling.
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import { readBool, readList, readString, readTree } from '../../values.ts';
import { imageRef } from '../cni/image-ref.ts';
import { resourceRequirements } from '../cni/resource-requirements.ts';
import { ztunnelEnv } from './ztunnel-env.ts';
import { ztunnelContainerName } from './ztunnel-metadata.ts';
import type { ZtunnelValues } from './ztunnel-values.ts';

export const crlMountPath = '/var/run/secrets/istio/crl';

export function ztunnelImage(v: ZtunnelValues): string {
  return imageRef({
    image: readString(v.z, 'image', ''),
    defaultName: 'ztunnel',
    hub: readString(v.z, 'hub', ''),
    tag: readString(v.z, 'tag', ''),
    variant: readString(v.z, 'variant', ''),
  });
}

function securityContext(v: ZtunnelValues): JsonObject {
  const seLinux = readTree(v.z, 'seLinuxOptions');
  return {
    // SYS_ADMIN implies privilege escalation; saying so keeps admission from rejecting the pod.
    allowPrivilegeEscalation: true,
    privileged: false,
    capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'SYS_ADMIN', 'NET_RAW'] },
    readOnlyRootFilesystem: true,
    runAsGroup: 1337,
    runAsNonRoot: false,
    runAsUser: 0,
    ...(Object.keys(seLinux).length > 0 ? { seLinuxOptions: seLinux as JsonObject } : {}),
  };
}

function volumeMounts(v: ZtunnelValues): JsonValue[] {
  return [
    { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
    { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
    { mountPath: '/var/run/ztunnel', name: 'cni-ztunnel-sock-dir' },
    { mountPath: '/tmp', name: 'tmp' },
    ...(readBool(v.z, 'peerCaCrl.enabled', false)
      ? [{ mountPath: crlMountPath, name: 'crl-volume', readOnly: true }]
      : []),
    ...(readList(v.z, 'volumeMounts') as JsonValue[]),
  ];
}

export function ztunnelContainer(v: ZtunnelValues): JsonObject {
  const resources = resourceRequirements(readTree(v.z, 'resources'));
  const pullPolicy = readString(v.z, 'imagePullPolicy', '');
  return {
    name: ztunnelContainerName,
    image: ztunnelImage(v),
    ports: [{ containerPort: 15020, name: 'ztunnel-stats', protocol: 'TCP' }],
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    securityContext: securityContext(v),
    readinessProbe: { httpGet: { port: 15021, path: '/healthz/ready' } },
    args: ['proxy', 'ztunnel'],
    env: ztunnelEnv(v),
    volumeMounts: volumeMounts(v),
  };
}
