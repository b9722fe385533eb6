// Kiali, the mesh console, wired in-cluster to the other addons: metrics from Prometheus, dashboard links to
// Grafana and traces from the `tracing` Service. Quick-start quality, like Istio's sample: anonymous access.
import { stringify } from 'yaml';
import type { KubeObject } from '../../../objects/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { readString } from '../../values.ts';
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

const name = 'kiali';
const apiPort = 20001;
const metricsPort = 9090;
const webRoot = '/kiali';
const configDir = '/kiali-configuration';
const version = imageTag(addonImages.kiali);

/** The selector of Istio's sample, kept so a Deployment created from the sample can be taken over in place. */
const selector: Labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };

const labels: Labels = {
  app: name,
  ...selector,
  version,
  'app.kubernetes.io/version': version,
  'app.kubernetes.io/part-of': name,
};

const readVerbs = ['get', 'list', 'watch'];
const patchVerbs = [...readVerbs, 'patch'];

/** Kiali reads the whole mesh, edits Istio config from its UI, and patches workloads when asked to. */
const rules: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'pods/log'], verbs: readVerbs },
  {
    apiGroups: [''],
    resources: ['namespaces', 'pods', 'replicationcontrollers', 'services'],
    verbs: patchVerbs,
  },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'post'] },
  {
    apiGroups: ['extensions', 'apps'],
    resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
    verbs: patchVerbs,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: patchVerbs },
  {
    apiGroups: [
      'networking.istio.io',
      'security.istio.io',
      'extensions.istio.io',
      'telemetry.istio.io',
      'gateway.networking.k8s.io',
      'inference.networking.k8s.io',
    ],
    resources: ['*'],
    verbs: [...readVerbs, 'create', 'delete', 'patch'],
  },
  { apiGroups: ['apps.openshift.io'], resources: ['deploymentconfigs'], verbs: patchVerbs },
  { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['get'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['mutatingwebhookconfigurations'],
    verbs: readVerbs,
  },
];

/** In-cluster URLs of the other addons, fully qualified so Kiali finds them from any namespace. */
export function kialiExternalServices(ctx: RenderContext): Record<string, unknown> {
  const ns = ctx.namespace;
  return {
    custom_dashboards: { enabled: true },
    istio: { root_namespace: readString(ctx.meshConfig, 'rootNamespace', ns) },
    prometheus: { url: `http://prometheus.${ns}:9090` },
    grafana: { enabled: true, internal_url: `http://grafana.${ns}:3000` },
    // Jaeger's query API over HTTP. Kiali cannot query Zipkin; when Zipkin serves `tracing` instead, Kiali finds
    // no Jaeger API there and turns its tracing features off rather than failing.
    tracing: {
      enabled: true,
      provider: 'jaeger',
      internal_url: `http://tracing.${ns}:80/jaeger`,
      use_grpc: false,
    },
  };
}

function kialiConfig(ctx: RenderContext): string {
  const config = {
    auth: { strategy: 'anonymous' },
    deployment: { cluster_wide_access: true, instance_name: name, namespace: ctx.namespace },
    external_services: kialiExternalServices(ctx),
    server: {
      port: apiPort,
      web_root: webRoot,
      observability: { metrics: { enabled: true, port: metricsPort } },
    },
  };
  return stringify(config, { lineWidth: 0 });
}

function kialiContainer(): Record<string, unknown> {
  const health = `${webRoot}/healthz`;
  return {
    name,
    image: addonImages.kiali,
    command: ['/opt/kiali/kiali', '-config', `${configDir}/config.yaml`],
    ports: [containerPort('api-port', apiPort), containerPort('http-metrics', metricsPort)],
    env: [
      { name: 'ACTIVE_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    readinessProbe: httpProbe(health, 'api-port', { initialDelaySeconds: 5, periodSeconds: 30 }),
    livenessProbe: httpProbe(health, 'api-port', { initialDelaySeconds: 5, periodSeconds: 30 }),
    startupProbe: httpProbe(health, 'api-port', {
      initialDelaySeconds: 30,
      periodSeconds: 10,
      failureThreshold: 6,
    }),
    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '1Gi' } },
    volumeMounts: kialiMounts(),
  };
}

function kialiMounts(): Record<string, unknown>[] {
  return [
    { name: 'kiali-configuration', mountPath: configDir },
    { name: 'kiali-secret', mountPath: '/kiali-secret' },
    { name: 'kiali-cabundle', mountPath: '/kiali-cabundle' },
    {
      name: 'kiali-multi-cluster-secret',
      mountPath: '/kiali-remote-cluster-secrets/kiali-multi-cluster-secret',
      readOnly: true,
    },
  ];
}

/** Only the configuration must exist; the others are Kiali's optional hooks for secrets and CA bundles. */
function kialiVolumes(): Record<string, unknown>[] {
  return [
    { name: 'kiali-configuration', configMap: { name } },
    { name: 'kiali-secret', secret: { secretName: name, optional: true } },
    { name: 'kiali-cabundle', configMap: { name: 'kiali-cabundle', optional: true } },
    {
      name: 'kiali-multi-cluster-secret',
      secret: { secretName: 'kiali-multi-cluster-secret', optional: true },
    },
  ];
}

function kialiDeployment(meta: AddonMeta): KubeObject {
  const pod = {
    labels: { ...labels, ...noInjection },
    // Prometheus scrapes Kiali's own metrics through the annotated-pods job.
    annotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metricsPort),
      'prometheus.io/scheme': 'http',
      'kiali.io/dashboards': 'go,kiali',
    },
    spec: { serviceAccountName: name, containers: [kialiContainer()], volumes: kialiVolumes() },
  };
  return deployment(meta, selector, pod, {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 },
  });
}

export function renderKiali(ctx: RenderContext): RenderedComponent {
  const meta: AddonMeta = { name, namespace: ctx.namespace, labels };
  // Cluster-scoped names carry the namespace, as istiod's do, so meshes in two namespaces never collide.
  const clusterName = `${name}-${ctx.namespace}`;
  const objects: KubeObject[] = [
    serviceAccount(meta),
    configMap(meta, { 'config.yaml': kialiConfig(ctx) }),
    clusterRole(clusterName, labels, rules),
    clusterRoleBinding(clusterName, meta),
    clusterIpService(meta, selector, [
      { name: 'http', port: apiPort, appProtocol: 'http' },
      { name: 'http-metrics', port: metricsPort, appProtocol: 'http' },
    ]),
    kialiDeployment(meta),
  ];
  return {
    name: ComponentName.Kiali,
    objects,
    workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: name },
  };
}
