// Some platforms (GKE) admit pods of the system-node-critical priority class only into namespaces with a
// ResourceQuota for that class; the node agents render one there.
import type { KubeObject } from '../../../kube/index.ts';

export interface QuotaTarget {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** The most agent pods the quota admits. */
  pods: string;
}

export function nodeCriticalQuota(target: QuotaTarget): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
    spec: {
      hard: { pods: target.pods },
      scopeSelector: {
        matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical'] }],
      },
    },
  };
}
