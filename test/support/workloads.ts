// Reading workload readiness the way an operator must: only a status that has caught up with the spec counts.
import type { KubeObject } from '../../src/kube/index.ts';

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string }[];
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
