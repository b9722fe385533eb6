// Labels and annotations of ztunnel's objects. The chart marks a revisioned install with an `istio.io/rev`
// annotation rather than a label, and selects its pods by `app: ztunnel` whatever the resource name.
import { readTree } from '../../values.ts';
import { stringMap } from '../cni/string-values.ts';
import type { ZtunnelValues } from './ztunnel-values.ts';

export type Labels = Record<string, string>;

export const ztunnelApp = 'ztunnel';
export const ztunnelContainerName = 'istio-proxy';
export const podSelectorLabels: Labels = { app: ztunnelApp };
const nameLabel: Labels = { 'app.kubernetes.io/name': ztunnelApp };

/** Labels of the DaemonSet, its ServiceAccount and quota: Istio's name label and the user's `labels`. */
export function ztunnelLabels(v: ZtunnelValues): Labels {
  return { ...nameLabel, ...stringMap(readTree(v.z, 'labels')) };
}

/** The user's `annotations`, and the revision ztunnel follows. Undefined when there are none. */
export function ztunnelAnnotations(v: ZtunnelValues): Labels | undefined {
  const annotations = {
    ...stringMap(readTree(v.z, 'annotations')),
    ...(v.revision ? { 'istio.io/rev': v.revision } : {}),
  };
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** Labels of the OpenShift ClusterRole and binding. */
export function ztunnelRbacLabels(): Labels {
  return { app: ztunnelApp, ...nameLabel };
}

export function ztunnelPodLabels(v: ZtunnelValues): Labels {
  return {
    'sidecar.istio.io/inject': 'false',
    // ztunnel is the ambient data plane; it is never captured by it.
    'istio.io/dataplane-mode': 'none',
    ...podSelectorLabels,
    ...nameLabel,
    ...stringMap(readTree(v.z, 'podLabels')),
  };
}

export function ztunnelPodAnnotations(v: ZtunnelValues): Labels {
  return {
    'sidecar.istio.io/inject': 'false',
    ...(v.revision ? { 'istio.io/rev': v.revision } : {}),
    ...stringMap(readTree(v.z, 'podAnnotations')),
  };
}
