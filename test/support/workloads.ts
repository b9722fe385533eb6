// Reading workload readiness the way an operator must: only a status that has caught up with the spec counts.
import type { KubeObject } from '../../src/kube/index.ts';

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; reason?: string }[];
}

/** A one-replica Deployment KWOK runs (its image is never pulled); `podSpec` adds to the pod spec. */
export function testDeployment(
  namespace: string,
  name: string,
  podSpec: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: `registry.invalid/${name}:1` }], ...podSpec },
      },
    },
  };
}

export function deploymentAvailable(d: KubeObject): boolean {
  const want = (d.spec as { replicas?: number }).replicas ?? 1;
  const s = (d.status ?? {}) as DeploymentStatus;
  return (
    s.observedGeneration === d.metadata.generation &&
    s.updatedReplicas === want &&
    s.readyReplicas === want &&
    s.availableReplicas === want &&
    (s.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True')
  );
}
