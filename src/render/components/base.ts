// Base: Istio's CRDs (exactly the release's, from the artifacts) and the reader ServiceAccount that
// multicluster remote secrets use. The control-plane namespace is rendered here too, so a GitOps repo gets a
// manifest that applies on an empty cluster.
import type { KubeObject } from '../../kube/index.ts';
import type { RenderContext } from '../context.ts';

export function renderBase(ctx: RenderContext): KubeObject[] {
  const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ctx.namespace } };
  const reader: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'istio-reader-service-account',
      namespace: ctx.namespace,
      labels: { app: 'istio-reader' },
    },
  };
  return [...ctx.artifacts.crds, namespace, reader];
}
