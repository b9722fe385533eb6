// The ztunnel chart's default values (facts of the release, encoded here because the release artifacts do not
// carry this chart's values), and what the chart's own profile files add. The chart takes its settings at its
// top level: istioctl lifts `values.ztunnel` there, and the chart lifts `values.global` there too.
import type { ReadonlyJsonObject } from '../../../tree/index.ts';
import { nodeAgentTolerations } from '../cni/cni-chart-defaults.ts';

export const ztunnelChartDefaults = {
  variant: '',
  image: 'ztunnel',
  network: '',
  resourceName: '',
  labels: {},
  annotations: {},
  volumeMounts: [],
  volumes: [],
  tolerations: nodeAgentTolerations,
  podAnnotations: { 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
  podLabels: {},
  // Above 2 cores, the CPU request also sets ztunnel's minimum number of worker threads.
  resources: { requests: { cpu: '200m', memory: '512Mi' } },
  resourceQuotas: { enabled: false, pods: 5000 },
  peerCaCrl: { enabled: false },
  imagePullSecrets: [],
  env: {},
  imagePullPolicy: '',
  multiCluster: { clusterName: '' },
  meshConfig: { defaultConfig: { proxyMetadata: {} } },
  terminationGracePeriodSeconds: 30,
  caAddress: '',
  xdsAddress: '',
  logLevel: 'info',
  logAsJson: false,
  seLinuxOptions: {},
  resourceScope: 'all',
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
  dnsPolicy: '',
  dnsConfig: {},
} as const satisfies ReadonlyJsonObject;

/**
 * What the chart's profile files change for ztunnel, by `values.profile`, already lifted to the top level.
 * Only these reach ztunnel's proxy metadata: the spec's meshConfig does not.
 */
export const ztunnelChartProfiles: Readonly<Record<string, ReadonlyJsonObject>> = {
  ambient: {
    meshConfig: { defaultConfig: { proxyMetadata: { ISTIO_META_ENABLE_HBONE: 'true' } } },
    variant: 'distroless',
  },
};
