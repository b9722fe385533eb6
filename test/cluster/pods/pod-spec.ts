// The parts of a Pod the runner reads, typed loosely: the API server has already validated the object.
import type { KubeObject } from '../../../src/kube/index.ts';

export interface FieldRef {
  fieldPath: string;
}
export interface ResourceFieldRef {
  resource: string;
  divisor?: string | number;
}
export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: FieldRef;
    resourceFieldRef?: ResourceFieldRef;
    configMapKeyRef?: KeyRef;
    secretKeyRef?: KeyRef;
  };
}
export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
}
export interface Volume {
  name: string;
  emptyDir?: object;
  secret?: { secretName: string; optional?: boolean; items?: { key: string; path: string }[] };
  configMap?: { name: string; optional?: boolean; items?: { key: string; path: string }[] };
  projected?: { sources: ProjectedSource[] };
  downwardAPI?: { items: { path: string; fieldRef?: FieldRef }[] };
}
export interface ProjectedSource {
  serviceAccountToken?: { audience?: string; expirationSeconds?: number; path: string };
  configMap?: Volume['configMap'];
  secret?: { name: string; optional?: boolean; items?: { key: string; path: string }[] };
  downwardAPI?: Volume['downwardAPI'];
}
export interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  nodeName?: string;
  terminationGracePeriodSeconds?: number;
}
export interface Pod extends KubeObject {
  spec: PodSpec;
}

export const podName = (pod: KubeObject): string =>
  `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
