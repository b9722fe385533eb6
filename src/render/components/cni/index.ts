// The Istio CNI node agent: installs Istio's CNI plugin on every node so pods need no privileged init
// container, repairs pods that started before it, and in ambient mode redirects captured pods' traffic to
// ztunnel. Its objects are node-wide, shared by every control-plane revision.
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { readString } from '../../values.ts';
import { renderScope } from './chart-inputs.ts';
import { cniConfigMap } from './cni-config-map.ts';
import { cniDaemonSet } from './cni-daemonset.ts';
import { cniContainerName, cniNodeName } from './cni-metadata.ts';
import { cniNamespacedExtras, cniNetworkPolicies } from './cni-optional-objects.ts';
import { cniClusterRbac, cniServiceAccount } from './cni-rbac.ts';
import { cniValues } from './cni-values.ts';

export function renderCni(ctx: RenderContext): RenderedComponent {
  const v = cniValues(ctx);
  const scope = renderScope(readString(v.global, 'resourceScope', 'all'));
  const objects = [
    ...(scope.namespaced ? [cniServiceAccount(ctx, v)] : []),
    ...(scope.cluster ? cniClusterRbac(ctx, v) : []),
    ...(scope.namespaced ? [cniConfigMap(ctx, v), cniDaemonSet(ctx, v), ...cniNamespacedExtras(ctx, v)] : []),
    ...cniNetworkPolicies(ctx, v),
  ];
  return {
    name: ComponentName.Cni,
    // Copies, so that a caller editing the objects never edits the rule and label constants they share.
    objects: structuredClone(objects),
    workload: { kind: 'DaemonSet', name: cniNodeName, namespace: v.namespace, container: cniContainerName },
  };
}
