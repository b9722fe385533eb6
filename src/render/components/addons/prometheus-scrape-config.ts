// Prometheus's configuration for a mesh: scrape istiod through its monitoring Service port, and every pod that
// asks to be scraped through the `prometheus.io/*` annotations, which is how Istio exposes proxies, gateways
// and ztunnel. Deliberately short: node, cAdvisor and blackbox jobs belong to a cluster's own monitoring.
import { stringify } from 'yaml';

type RelabelRule = Readonly<Record<string, string | readonly string[]>>;
type ScrapeJob = Readonly<Record<string, unknown>>;

/** Pod phases whose pods serve no metrics; their stale IPs may already belong to another pod. */
const finishedPhases = 'Pending|Succeeded|Failed|Completed';

function keep(source: readonly string[], regex: string): RelabelRule {
  return { action: 'keep', source_labels: source, regex };
}

function drop(source: string, regex: string): RelabelRule {
  return { action: 'drop', source_labels: [source], regex };
}

function copy(source: string, target: string): RelabelRule {
  return { action: 'replace', source_labels: [source], target_label: target };
}

/** Labels that tell a series' pod apart in queries and dashboards. */
function podIdentity(): RelabelRule[] {
  return [
    { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
    copy('__meta_kubernetes_namespace', 'namespace'),
    copy('__meta_kubernetes_pod_name', 'pod'),
  ];
}

/**
 * istiod, found through the EndpointSlices of its Service's `http-monitoring` port (15014). A revisioned
 * control plane's Service is `istiod-<revision>`, so every revision in the namespace is scraped.
 */
function istiodJob(namespace: string): ScrapeJob {
  return {
    job_name: 'istiod',
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [namespace] } }],
    relabel_configs: [
      keep(
        ['__meta_kubernetes_service_name', '__meta_kubernetes_endpointslice_port_name'],
        'istiod(-.+)?;http-monitoring',
      ),
      ...podIdentity(),
    ],
  };
}

/** `__address__` from the pod IP and the `prometheus.io/port` annotation; IPv6 addresses need brackets. */
function annotatedAddress(): RelabelRule[] {
  const source = ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'];
  return [
    {
      action: 'replace',
      source_labels: source,
      regex: '(\\d+);([^:]+)',
      replacement: '$2:$1',
      target_label: '__address__',
    },
    {
      action: 'replace',
      source_labels: source,
      regex: '(\\d+);(.+:.+)',
      replacement: '[$2]:$1',
      target_label: '__address__',
    },
  ];
}

/**
 * Pods annotated `prometheus.io/scrape: "true"`, at the port, path and scheme their annotations name. With
 * metrics merging (Istio's default) the injector points these at the agent's port 15020, path
 * `/stats/prometheus`, which serves Envoy's statistics together with the application's own.
 */
function annotatedPodsJob(): ScrapeJob {
  return {
    job_name: 'kubernetes-pods',
    honor_labels: true,
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      keep(['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], 'true'),
      // istiod's pods carry the annotations too; its own job above already scrapes them.
      drop('__meta_kubernetes_pod_label_app', 'istiod'),
      drop('__meta_kubernetes_pod_phase', finishedPhases),
      copyIfSet('__meta_kubernetes_pod_annotation_prometheus_io_path', '__metrics_path__', '(.+)'),
      copyIfSet('__meta_kubernetes_pod_annotation_prometheus_io_scheme', '__scheme__', '(https?)'),
      ...annotatedAddress(),
      ...podIdentity(),
    ],
  };
}

function copyIfSet(source: string, target: string, regex: string): RelabelRule {
  return { ...copy(source, target), regex };
}

/**
 * Without metrics merging the annotations no longer lead to the proxy, so Envoy is scraped directly on the
 * sidecar's `http-envoy-prom` port (15090).
 */
function envoyStatsJob(): ScrapeJob {
  return {
    job_name: 'envoy-stats',
    metrics_path: '/stats/prometheus',
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      keep(['__meta_kubernetes_pod_container_port_name'], '.*-envoy-prom'),
      drop('__meta_kubernetes_pod_phase', finishedPhases),
      ...podIdentity(),
    ],
  };
}

export interface ScrapeOptions {
  /** The control-plane namespace, where istiod's Services live. */
  namespace: string;
  /** `meshConfig.enablePrometheusMerge`: whether proxies publish merged metrics on 15020. */
  metricsMerging: boolean;
}

export function prometheusConfig(options: ScrapeOptions): Record<string, unknown> {
  const jobs: ScrapeJob[] = [
    { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
    istiodJob(options.namespace),
    annotatedPodsJob(),
  ];
  if (!options.metricsMerging) jobs.push(envoyStatsJob());
  return {
    global: { scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '1m' },
    scrape_configs: jobs,
  };
}

/** The `prometheus.yml` text; relabelling regexes stay unfolded and unaliased so they read as written. */
export function prometheusConfigYaml(options: ScrapeOptions): string {
  return stringify(prometheusConfig(options), { lineWidth: 0, aliasDuplicateObjects: false });
}
