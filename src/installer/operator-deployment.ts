// The operator's Deployment: non-root, read-only root filesystem, no capabilities, seccomp RuntimeDefault,
// requests and limits, probes on the health port, leader election on (so a second replica or a rollout never
// has two writers).
import type { KubeObject } from '../objects/index.ts';

export interface OperatorDeploymentOptions {
  namespace: string;
  serviceAccount: string;
  image: string;
  /** The uid the image runs as (the Dockerfile's USER). */
  uid: number;
  /** Registries rendered pods may pull from (the operator's --allowed-image-registries); its defaults if unset. */
  allowedImageRegistries?: readonly string[] | undefined;
  replicas?: number | undefined;
  /** False: the operator refuses MeshConfigs that ask for workload restarts (--no-workload-restarts). */
  workloadRestarts?: boolean | undefined;
  /** True: MeshConfigs may grant pods more than the release renders (--allow-pod-privileges-from-spec). */
  podPrivilegesFromSpec?: boolean | undefined;
}

export const healthPort = 8081;

export function operatorDeployment(o: OperatorDeploymentOptions): KubeObject {
  const labels = { 'app.kubernetes.io/name': 'meshop-operator' };
  const probe = (path: string, initialDelaySeconds: number) => ({
    httpGet: { path, port: 'health' },
    initialDelaySeconds,
    periodSeconds: 10,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'meshop-operator', namespace: o.namespace, labels },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations: { 'sidecar.istio.io/inject': 'false' } },
        spec: {
          serviceAccountName: o.serviceAccount,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: o.uid,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'operator',
              image: o.image,
              args: [
                '--leader-elect',
                `--health-probe-bind-address=:${String(healthPort)}`,
                ...(o.allowedImageRegistries && o.allowedImageRegistries.length > 0
                  ? [`--allowed-image-registries=${o.allowedImageRegistries.join(',')}`]
                  : []),
                ...(o.workloadRestarts === false ? ['--no-workload-restarts'] : []),
                ...(o.podPrivilegesFromSpec === true ? ['--allow-pod-privileges-from-spec'] : []),
              ],
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              ports: [{ name: 'health', containerPort: healthPort, protocol: 'TCP' }],
              livenessProbe: probe('/healthz', 15),
              readinessProbe: probe('/readyz', 5),
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}
