// The istio-cni chart's default values (facts of the release, encoded here because the release artifacts do not
// carry this chart's values), and the chart-level overlays istioctl picks by `values.profile` and
// `values.compatibilityVersion`. Settings live at the chart's top level, where `values.cni` lands.
import type { ReadonlyJsonObject } from '../../../tree/index.ts';

const dataplaneMode = 'istio.io/dataplane-mode';

/** Pods are captured when they, or their namespace, ask for ambient mode, unless a pod opts out with `none`. */
const ambientEnablementSelectors = [
  { podSelector: { matchLabels: { [dataplaneMode]: 'ambient' } } },
  {
    podSelector: { matchExpressions: [{ key: dataplaneMode, operator: 'NotIn', values: ['none'] }] },
    namespaceSelector: { matchLabels: { [dataplaneMode]: 'ambient' } },
  },
] as const;

/** A node agent must run on every node, tainted or not. */
export const nodeAgentTolerations = [
  { effect: 'NoSchedule', operator: 'Exists' },
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { effect: 'NoExecute', operator: 'Exists' },
] as const;

export const cniChartDefaults = {
  hub: '',
  tag: '',
  variant: '',
  image: 'install-cni',
  pullPolicy: '',
  logging: { level: '' },
  cniBinDir: '/opt/cni/bin',
  cniConfDir: '/etc/cni/net.d',
  cniConfFileName: '',
  cniNetnsDir: '/var/run/netns',
  istioOwnedCNIConfigFileName: '',
  istioOwnedCNIConfig: false,
  excludeNamespaces: ['kube-system'],
  affinity: {},
  daemonSetLabels: {},
  podAnnotations: {},
  podLabels: {},
  chained: true,
  provider: 'default',
  ambient: {
    enabled: false,
    enablementSelectors: ambientEnablementSelectors,
    configDir: '',
    dnsCapture: true,
    ipv6: true,
    reconcileIptablesOnStartup: true,
    shareHostNetworkNamespace: false,
    enableAmbientDetectionRetry: false,
  },
  repair: {
    enabled: true,
    hub: '',
    tag: '',
    labelPods: false,
    deletePods: false,
    repairPods: true,
    initContainerName: 'istio-validation',
    brokenPodLabelKey: 'cni.istio.io/uninitialized',
    brokenPodLabelValue: 'true',
  },
  seccompProfile: {},
  seLinuxOptions: {},
  useAppArmorAnnotation: true,
  resources: { requests: { cpu: '100m', memory: '100Mi' } },
  resourceQuotas: { enabled: false, pods: 5000 },
  tolerations: nodeAgentTolerations,
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
  terminationGracePeriodSeconds: 30,
  env: {},
} as const satisfies ReadonlyJsonObject;

/** The chart's `global` defaults that the CNI objects read. */
export const cniChartGlobalDefaults = {
  variant: '',
  imagePullPolicy: '',
  logging: { level: 'info' },
  logAsJson: false,
  networkPolicy: { enabled: false },
  imagePullSecrets: [],
  defaultResources: { requests: { cpu: '100m', memory: '100Mi' } },
  nativeNftables: false,
  resourceScope: 'all',
} as const satisfies ReadonlyJsonObject;

export interface ChartOverlay {
  /** Over the chart's top-level (CNI) defaults. */
  readonly cni?: ReadonlyJsonObject;
  /** Over the chart's `global` defaults. */
  readonly global?: ReadonlyJsonObject;
}

/** What the chart's own profile files change for the CNI agent, by `values.profile`. */
export const cniChartProfiles: Readonly<Record<string, ChartOverlay>> = {
  ambient: { cni: { ambient: { enabled: true } }, global: { variant: 'distroless' } },
  demo: { cni: { resources: { requests: { cpu: '10m', memory: '40Mi' } } } },
};

// Releases before 1.29 did not reconcile a pod's iptables rules when the agent restarted; 1.25 also ran the
// agent in the host's network namespace.
const noStartupReconcile = { ambient: { reconcileIptablesOnStartup: false } } as const;

/** What `values.compatibilityVersion` restores of older releases' CNI behaviour. */
export const cniCompatibilityOverlays: Readonly<Record<string, ChartOverlay>> = {
  '1.25': { cni: { ambient: { reconcileIptablesOnStartup: false, shareHostNetworkNamespace: true } } },
  '1.26': { cni: noStartupReconcile },
  '1.27': { cni: noStartupReconcile },
  '1.28': { cni: noStartupReconcile },
};
