// Names and labels of the CNI agent's objects. The DaemonSet's name is fixed: the CNI plugin falls back to it
// in some failure paths, so it never carries a revision. Istio labels every object with the revision of the
// control plane that installed it, though the agent serves them all.
import type { RenderContext } from '../../context.ts';
import { revLabel } from '../../context.ts';

export type Labels = Record<string, string>;

export const cniName = 'istio-cni';
export const cniNodeName = 'istio-cni-node';
export const cniConfigName = 'istio-cni-config';
export const cniContainerName = 'install-cni';

/** The labels Istio puts on all of the agent's objects, plus `extra` (its `app` or `k8s-app` label). */
export function cniLabels(ctx: RenderContext, extra: Labels = {}): Labels {
  return {
    ...extra,
    'istio.io/rev': revLabel(ctx),
    'operator.istio.io/component': 'Cni',
    'app.kubernetes.io/name': cniName,
  };
}

export const appLabel: Labels = { app: cniName };
/** The DaemonSet's pods are selected by this label alone. */
export const nodeSelectorLabels: Labels = { 'k8s-app': cniNodeName };
/** Istio's label for the repair and ambient bindings. */
export const repairLabel: Labels = { 'k8s-app': `${cniName}-repair` };
