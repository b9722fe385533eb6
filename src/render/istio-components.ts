// Istio's installable components as data: which chart of the release renders each, where its values live, and
// which workload its `k8s` settings patch. These facts are the same in every release istioctl installs with
// `manifest generate` (operator/pkg/component in istio.io/istio), so a new release needs no change here.
import type { WorkloadTarget } from './component.ts';
import { ComponentName } from './component.ts';

export interface IstioComponent {
  /** Key under `spec.components`. */
  key: 'base' | 'pilot' | 'ingressGateways' | 'egressGateways' | 'cni' | 'ztunnel';
  name: ComponentName;
  /** Path of the chart under the release's `manifests/charts`. */
  chart: string;
  /** Where the component's own values live under `spec.values` (`pilot`, `gateways.istio-ingressgateway`...). */
  valuesRoot: string;
  /** The chart reads its values unprefixed (`resources`, not `ztunnel.resources`). */
  flattenValues: boolean;
  /** A list of instances (gateways) rather than one. */
  multi: boolean;
  /** On when `spec.components` does not mention it. */
  enabledByDefault: boolean;
  /** A values path that turns the component on whatever `spec.components` says. */
  altEnablement?: string;
  /** The workload `k8s` settings apply to (its name is the gateway's name for gateways). */
  workload?: Omit<WorkloadTarget, 'namespace'>;
}

export const istioComponents: readonly IstioComponent[] = [
  {
    key: 'base',
    name: ComponentName.Base,
    chart: 'base',
    valuesRoot: 'global',
    flattenValues: false,
    multi: false,
    enabledByDefault: true,
  },
  {
    key: 'pilot',
    name: ComponentName.Pilot,
    chart: 'istio-control/istio-discovery',
    valuesRoot: 'pilot',
    flattenValues: false,
    multi: false,
    enabledByDefault: true,
    workload: { kind: 'Deployment', name: 'istiod', container: 'discovery' },
  },
  {
    key: 'ingressGateways',
    name: ComponentName.IngressGateways,
    chart: 'gateways/istio-ingress',
    valuesRoot: 'gateways.istio-ingressgateway',
    flattenValues: false,
    multi: true,
    enabledByDefault: true,
    altEnablement: 'gateways.istio-ingressgateway.enabled',
    workload: { kind: 'Deployment', name: 'istio-ingressgateway', container: 'istio-proxy' },
  },
  {
    key: 'egressGateways',
    name: ComponentName.EgressGateways,
    chart: 'gateways/istio-egress',
    valuesRoot: 'gateways.istio-egressgateway',
    flattenValues: false,
    multi: true,
    enabledByDefault: false,
    altEnablement: 'gateways.istio-egressgateway.enabled',
    workload: { kind: 'Deployment', name: 'istio-egressgateway', container: 'istio-proxy' },
  },
  {
    key: 'cni',
    name: ComponentName.Cni,
    chart: 'istio-cni',
    valuesRoot: 'cni',
    flattenValues: false,
    multi: false,
    enabledByDefault: false,
    workload: { kind: 'DaemonSet', name: 'istio-cni-node', container: 'install-cni' },
  },
  {
    key: 'ztunnel',
    name: ComponentName.Ztunnel,
    chart: 'ztunnel',
    valuesRoot: 'ztunnel',
    flattenValues: true,
    multi: false,
    enabledByDefault: false,
    workload: { kind: 'DaemonSet', name: 'ztunnel', container: 'istio-proxy' },
  },
];
