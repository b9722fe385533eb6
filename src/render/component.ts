// A rendered component: the objects of one part of the mesh and what its `k8s` settings apply to.
import type { KubeObject } from '../objects/index.ts';

export const ComponentName = {
  Base: 'base',
  Pilot: 'pilot',
  Webhooks: 'webhooks',
  RevisionTags: 'revisionTags',
  IngressGateways: 'ingressGateways',
  EgressGateways: 'egressGateways',
  Cni: 'cni',
  Ztunnel: 'ztunnel',
  Prometheus: 'prometheus',
  Grafana: 'grafana',
  Kiali: 'kiali',
  Jaeger: 'jaeger',
  Zipkin: 'zipkin',
} as const;
export type ComponentName = (typeof ComponentName)[keyof typeof ComponentName];

/** The workload a component's `k8s` settings patch: replicas, resources, env, tolerations and so on. */
export interface WorkloadTarget {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  name: string;
  namespace: string;
  /** The container that env, resources, readinessProbe and imagePullPolicy go to. */
  container: string;
}

export interface RenderedComponent {
  name: ComponentName;
  /** Gateways render one component instance per gateway; this tells them apart (the gateway name). */
  instance?: string;
  revision?: string | undefined;
  objects: KubeObject[];
  workload?: WorkloadTarget;
}
