// ztunnel: ambient mode's per-node proxy. It terminates and originates mTLS (HBONE) for the captured pods on
// its node, with certificates and config from istiod of the control-plane revision it follows.
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { readString } from '../../values.ts';
import { renderScope } from '../cni/chart-inputs.ts';
import { ztunnelDaemonSet } from './ztunnel-daemonset.ts';
import { ztunnelContainerName } from './ztunnel-metadata.ts';
import {
  ztunnelNetworkPolicies,
  ztunnelOpenshiftRbac,
  ztunnelQuota,
  ztunnelServiceAccount,
} from './ztunnel-objects.ts';
import { ztunnelValues } from './ztunnel-values.ts';

export function renderZtunnel(ctx: RenderContext): RenderedComponent {
  const v = ztunnelValues(ctx);
  const scope = renderScope(readString(v.z, 'resourceScope', 'all'));
  const objects = [
    ...(scope.namespaced ? [ztunnelServiceAccount(v), ztunnelDaemonSet(v), ...ztunnelQuota(v)] : []),
    ...(scope.cluster ? ztunnelOpenshiftRbac(v) : []),
    ...ztunnelNetworkPolicies(v),
  ];
  return {
    name: ComponentName.Ztunnel,
    // Copies, so that a caller editing the objects never edits the rule and label constants they share.
    objects: structuredClone(objects),
    workload: { kind: 'DaemonSet', name: v.name, namespace: v.namespace, container: ztunnelContainerName },
  };
}
