// Prometheus: its objects, its Service, and a configuration that scrapes istiod and the proxies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPrometheus } from '../../../../src/render/components/addons/index.ts';
import { configYaml, containers, find, kindNames, servicePorts } from './rendered-objects.ts';
import { renderContext } from './render-context-builder.ts';
import type { Tree } from '../../../../src/render/values.ts';

interface RelabelRule {
  action?: string;
  source_labels?: string[];
  regex?: string;
}
interface ScrapeJob {
  job_name: string;
  metrics_path?: string;
  kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[];
  relabel_configs?: RelabelRule[];
}

function scrapeJobs(meshConfig: Tree = {}): Map<string, ScrapeJob> {
  const component = renderPrometheus(renderContext({ namespace: 'mesh-system', meshConfig }));
  const config = configYaml(component, 'prometheus', 'prometheus.yml') as { scrape_configs: ScrapeJob[] };
  return new Map(config.scrape_configs.map((job) => [job.job_name, job]));
}

function keepRule(job: ScrapeJob | undefined): RelabelRule | undefined {
  return job?.relabel_configs?.find((r) => r.action === 'keep');
}

describe('renderPrometheus', () => {
  it('renders its account, config, cluster RBAC, Service and Deployment', () => {
    // GIVEN a control plane in mesh-system WHEN Prometheus renders
    const component = renderPrometheus(renderContext({ namespace: 'mesh-system' }));
    // THEN these objects come out, the cluster-scoped ones named for the namespace
    assert.deepEqual(kindNames(component), [
      'ClusterRole/prometheus-mesh-system',
      'ClusterRoleBinding/prometheus-mesh-system',
      'ConfigMap/prometheus',
      'Deployment/prometheus',
      'Service/prometheus',
      'ServiceAccount/prometheus',
    ]);
    const binding = find(component, 'ClusterRoleBinding', 'prometheus-mesh-system');
    assert.deepEqual(binding.subjects, [
      { kind: 'ServiceAccount', name: 'prometheus', namespace: 'mesh-system' },
    ]);
  });

  it('serves on 9090 behind the Service prometheus', () => {
    const component = renderPrometheus(renderContext());
    assert.deepEqual(servicePorts(component, 'prometheus'), ['http:9090->9090']);
  });

  it('runs the server with the config file and the reloader pointing at its reload endpoint', () => {
    const [server, reloader] = containers(renderPrometheus(renderContext()), 'prometheus');
    assert.ok(server);
    assert.equal(server.image, 'docker.io/prom/prometheus:v3.10.0');
    const args = server.args ?? [];
    assert.ok(args.includes('--config.file=/etc/config/prometheus.yml'));
    assert.ok(args.includes('--web.enable-lifecycle'));
    assert.ok(reloader?.args?.includes('--reload-url=http://127.0.0.1:9090/-/reload'));
  });

  it('scrapes istiod through the http-monitoring port of its Service in the mesh namespace', () => {
    // GIVEN a control plane in mesh-system WHEN the configuration is rendered and parsed
    const istiod = scrapeJobs().get('istiod');
    // THEN one job keeps exactly istiod's (or istiod-<revision>'s) monitoring port there
    assert.deepEqual(istiod?.kubernetes_sd_configs, [
      { role: 'endpointslice', namespaces: { names: ['mesh-system'] } },
    ]);
    const keep = keepRule(istiod);
    assert.match('istiod;http-monitoring', new RegExp(`^${keep?.regex ?? ''}$`));
    assert.match('istiod-canary;http-monitoring', new RegExp(`^${keep?.regex ?? ''}$`));
    assert.doesNotMatch('istiod;grpc-xds', new RegExp(`^${keep?.regex ?? ''}$`));
  });

  it('scrapes annotated pods at the port and path their annotations name', () => {
    const pods = scrapeJobs().get('kubernetes-pods');
    assert.deepEqual(keepRule(pods)?.source_labels, [
      '__meta_kubernetes_pod_annotation_prometheus_io_scrape',
    ]);
    const sources = pods?.relabel_configs?.flatMap((r) => r.source_labels ?? []) ?? [];
    assert.ok(sources.includes('__meta_kubernetes_pod_annotation_prometheus_io_port'));
    assert.ok(sources.includes('__meta_kubernetes_pod_annotation_prometheus_io_path'));
  });

  it('relies on merged metrics (15020) by default and scrapes Envoy on 15090 when merging is off', () => {
    // GIVEN the default mesh config THEN no separate Envoy job
    assert.equal(scrapeJobs().has('envoy-stats'), false);
    // GIVEN enablePrometheusMerge: false THEN Envoy's own port is scraped at /stats/prometheus
    const envoy = scrapeJobs({ enablePrometheusMerge: false }).get('envoy-stats');
    assert.equal(envoy?.metrics_path, '/stats/prometheus');
    assert.equal(keepRule(envoy)?.regex, '.*-envoy-prom');
  });
});
