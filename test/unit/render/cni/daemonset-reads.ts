// Typed reads of rendered node-agent objects (CNI agent, ztunnel), so each test states the fact it checks and
// not how to dig for it.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/kube/index.ts';
import type { RenderedComponent } from '../../../../src/render/component.ts';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
  env: EnvVar[];
  ports: { containerPort: number; name: string; protocol: string }[];
  readinessProbe: { httpGet: { path: string; port: number } };
  securityContext: {
    privileged?: boolean;
    capabilities: { add: string[]; drop: string[] };
    seLinuxOptions?: Record<string, string>;
  };
  volumeMounts: { name: string; mountPath: string }[];
  resources?: Record<string, Record<string, string>>;
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type?: string };
  projected?: { sources: Record<string, Record<string, unknown>>[] };
  configMap?: { name: string };
}

export interface DaemonSet extends KubeObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        hostNetwork?: boolean;
        serviceAccountName: string;
        containers: Container[];
        volumes: Volume[];
      };
    };
  };
}

export interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** `Kind/namespace/name` of every object, sorted (namespace empty for cluster-scoped ones). */
export function objectKeys(component: RenderedComponent): string[] {
  return component.objects
    .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`)
    .sort();
}

export function find(component: RenderedComponent, kind: string, name: string): KubeObject {
  const found = component.objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name} is rendered`);
  return found;
}

export function daemonSet(component: RenderedComponent, name: string): DaemonSet {
  return find(component, 'DaemonSet', name) as DaemonSet;
}

export function onlyContainer(component: RenderedComponent, name: string): Container {
  const containers = daemonSet(component, name).spec.template.spec.containers;
  assert.equal(containers.length, 1);
  return containers[0]!;
}

/** The plain value of each env var that has one. */
export function envValues(container: Container): Record<string, string> {
  return Object.fromEntries(
    container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value ?? '']),
  );
}

export function volume(component: RenderedComponent, dsName: string, name: string): Volume | undefined {
  return daemonSet(component, dsName).spec.template.spec.volumes.find((v) => v.name === name);
}

export function rules(component: RenderedComponent, clusterRole: string): Rule[] {
  return find(component, 'ClusterRole', clusterRole).rules as Rule[];
}
