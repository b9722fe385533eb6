// Prometheus: one server that scrapes istiod and the proxies (see prometheus-scrape-config.ts), with a
// config-reloader beside it so a changed ConfigMap takes effect without a restart. Grafana and Kiali reach it
// as the Service `prometheus` on port 9090.
import type { KubeObject } from '../../../objects/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { readBool } from '../../values.ts';
import { addonImages, imageTag } from './addon-images.ts';
import type { AddonMeta, Labels, PolicyRule } from './addon-objects.ts';
import {
  clusterIpService,
  clusterRole,
  clusterRoleBinding,
  configMap,
  containerPort,
  deployment,
  httpProbe,
  noInjection,
  serviceAccount,
} from './addon-objects.ts';
import { prometheusConfigYaml } from './prometheus-scrape-config.ts';

const name = 'prometheus';
const serverContainer = 'prometheus-server';
const port = 9090;
const configDir = '/etc/config';

/** The selector of Istio's sample, kept so a Deployment created from the sample can be taken over in place. */
const selector: Labels = {
  'app.kubernetes.io/component': 'server',
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/instance': name,
};

const labels: Labels = {
  app: name,
  ...selector,
  'app.kubernetes.io/version': imageTag(addonImages.prometheus),
  'app.kubernetes.io/part-of': name,
};

/** Service discovery reads these cluster-wide; `/metrics` lets it scrape the API server and kubelets. */
const rules: readonly PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['nodes', 'nodes/metrics', 'services', 'endpoints', 'pods', 'ingresses', 'configmaps'],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['networking.k8s.io'],
    resources: ['ingresses/status', 'ingresses'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { nonResourceURLs: ['/metrics'], verbs: ['get'] },
];

function serverContainerSpec(): Record<string, unknown> {
  return {
    name: serverContainer,
    image: addonImages.prometheus,
    args: [
      '--storage.tsdb.retention.time=15d',
      `--config.file=${configDir}/prometheus.yml`,
      '--storage.tsdb.path=/data',
      // The reloader triggers a reload through the lifecycle API.
      '--web.enable-lifecycle',
    ],
    ports: [containerPort('http', port)],
    readinessProbe: httpProbe('/-/ready', port, { periodSeconds: 5, timeoutSeconds: 4 }),
    livenessProbe: httpProbe('/-/healthy', port, {
      initialDelaySeconds: 30,
      periodSeconds: 15,
      timeoutSeconds: 10,
    }),
    volumeMounts: [
      { name: 'config-volume', mountPath: configDir },
      { name: 'storage-volume', mountPath: '/data' },
    ],
  };
}

function reloaderContainerSpec(): Record<string, unknown> {
  return {
    name: 'prometheus-server-configmap-reload',
    image: addonImages.prometheusConfigReloader,
    args: [
      `--watched-dir=${configDir}`,
      '--listen-address=0.0.0.0:8080',
      `--reload-url=http://127.0.0.1:${port}/-/reload`,
    ],
    ports: [containerPort('metrics', 8080)],
    readinessProbe: httpProbe('/healthz', 'metrics', { periodSeconds: 10 }),
    livenessProbe: httpProbe('/healthz', 'metrics', { initialDelaySeconds: 2, periodSeconds: 10 }),
    volumeMounts: [{ name: 'config-volume', mountPath: configDir, readOnly: true }],
  };
}

function prometheusDeployment(meta: AddonMeta): KubeObject {
  const pod = {
    labels: { ...labels, ...noInjection },
    annotations: { 'kubectl.kubernetes.io/default-container': serverContainer },
    spec: {
      serviceAccountName: name,
      containers: [serverContainerSpec(), reloaderContainerSpec()],
      // Lets the TSDB finish writing its head block on shutdown.
      terminationGracePeriodSeconds: 300,
      volumes: [
        { name: 'config-volume', configMap: { name } },
        { name: 'storage-volume', emptyDir: {} },
      ],
    },
  };
  // Two servers must never share the storage while rolling.
  return deployment(meta, selector, pod, { type: 'Recreate' });
}

export function renderPrometheus(ctx: RenderContext): RenderedComponent {
  const meta: AddonMeta = { name, namespace: ctx.namespace, labels };
  // Cluster-scoped names carry the namespace, as istiod's do, so meshes in two namespaces never collide.
  const clusterName = `${name}-${ctx.namespace}`;
  const config = prometheusConfigYaml({
    namespace: ctx.namespace,
    metricsMerging: readBool(ctx.meshConfig, 'enablePrometheusMerge', true),
  });
  const objects: KubeObject[] = [
    serviceAccount(meta),
    configMap(meta, { 'prometheus.yml': config }),
    clusterRole(clusterName, labels, rules),
    clusterRoleBinding(clusterName, meta),
    clusterIpService(meta, selector, [{ name: 'http', port }]),
    prometheusDeployment(meta),
  ];
  return {
    name: ComponentName.Prometheus,
    objects,
    workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: serverContainer },
  };
}
