// Grafana, provisioned at start-up with Prometheus as its default datasource and a file provider for Istio's
// dashboards. Quick-start quality, like Istio's sample: anonymous users are admins.
//
// Istio's dashboards (mesh, service, workload, performance, control plane, extensions) are not embedded: like
// the CRDs they are release data, ~240 KB of JSON owned by Istio, not code of ours. We render the provider and
// an empty ConfigMap at the path it reads; the JSON files go into that ConfigMap as `<name>.json` keys.
import { stringify } from 'yaml';
import type { KubeObject } from '../../../objects/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { addonImages, imageTag } from './addon-images.ts';
import type { AddonMeta, Labels } from './addon-objects.ts';
import {
  clusterIpService,
  configMap,
  containerPort,
  deployment,
  httpProbe,
  noInjection,
  serviceAccount,
} from './addon-objects.ts';

const name = 'grafana';
const port = 3000;
/** Prometheus is in the same namespace, so its short Service name resolves. */
export const grafanaDatasourceUrl = 'http://prometheus:9090';
export const dashboardsConfigMap = 'istio-grafana-dashboards';
const dashboardsDir = '/var/lib/grafana/dashboards/istio';
const provisioningDir = '/etc/grafana/provisioning';

/** The selector of Istio's sample, kept so a Deployment created from the sample can be taken over in place. */
const selector: Labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };

const labels: Labels = {
  app: name,
  ...selector,
  'app.kubernetes.io/version': imageTag(addonImages.grafana),
};

function grafanaIni(): string {
  return [
    '[log]',
    'mode = console',
    '[paths]',
    'data = /var/lib/grafana/',
    'logs = /var/log/grafana',
    'plugins = /var/lib/grafana/plugins',
    `provisioning = ${provisioningDir}`,
    '',
  ].join('\n');
}

function datasources(): string {
  const prometheus = {
    name: 'Prometheus',
    type: 'prometheus',
    orgId: 1,
    url: grafanaDatasourceUrl,
    access: 'proxy',
    isDefault: true,
    editable: true,
    // Matches Prometheus's scrape interval, so rate() windows hold at least one sample.
    jsonData: { timeInterval: '15s' },
  };
  return stringify({ apiVersion: 1, datasources: [prometheus] });
}

function dashboardProviders(): string {
  const istio = {
    name: 'istio',
    orgId: 1,
    folder: 'istio',
    type: 'file',
    disableDeletion: false,
    options: { path: dashboardsDir },
  };
  return stringify({ apiVersion: 1, providers: [istio] });
}

function dashboardsReadme(): string {
  return [
    "Grafana loads every *.json key of this ConfigMap as a dashboard in its 'istio' folder.",
    "Add Istio's dashboards for your release (manifests/addons/dashboards in Istio's source) as <name>.json",
    'keys, with a field manager other than meshop: meshop owns only this README and leaves other keys alone.',
    '',
  ].join('\n');
}

const grafanaEnv = [
  { name: 'GF_AUTH_ANONYMOUS_ENABLED', value: 'true' },
  { name: 'GF_AUTH_ANONYMOUS_ORG_ROLE', value: 'Admin' },
  { name: 'GF_AUTH_BASIC_ENABLED', value: 'false' },
  { name: 'GF_SECURITY_ADMIN_USER', value: 'admin' },
  { name: 'GF_SECURITY_ADMIN_PASSWORD', value: 'admin' },
];

/** Each provisioning file is mounted on its own, so one directory never sees another's file. */
function configMounts(): Record<string, unknown>[] {
  const file = (mountPath: string, subPath: string): Record<string, unknown> => ({
    name: 'config',
    mountPath,
    subPath,
  });
  return [
    file('/etc/grafana/grafana.ini', 'grafana.ini'),
    file(`${provisioningDir}/datasources/datasources.yaml`, 'datasources.yaml'),
    file(`${provisioningDir}/dashboards/dashboardproviders.yaml`, 'dashboardproviders.yaml'),
  ];
}

function grafanaContainer(): Record<string, unknown> {
  return {
    name,
    image: addonImages.grafana,
    ports: [containerPort(name, port)],
    env: grafanaEnv.map((e) => ({ ...e })),
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    readinessProbe: httpProbe('/api/health', port),
    livenessProbe: httpProbe('/api/health', port, {
      initialDelaySeconds: 60,
      timeoutSeconds: 30,
      failureThreshold: 10,
    }),
    volumeMounts: [
      ...configMounts(),
      { name: 'storage', mountPath: '/var/lib/grafana' },
      { name: 'dashboards-istio', mountPath: dashboardsDir },
    ],
  };
}

function grafanaDeployment(meta: AddonMeta): KubeObject {
  return deployment(meta, selector, {
    labels: { ...labels, ...noInjection },
    spec: {
      serviceAccountName: name,
      containers: [grafanaContainer()],
      volumes: [
        { name: 'config', configMap: { name } },
        { name: 'storage', emptyDir: {} },
        { name: 'dashboards-istio', configMap: { name: dashboardsConfigMap } },
      ],
    },
  });
}

export function renderGrafana(ctx: RenderContext): RenderedComponent {
  const meta: AddonMeta = { name, namespace: ctx.namespace, labels };
  const objects: KubeObject[] = [
    serviceAccount(meta),
    configMap(meta, {
      'grafana.ini': grafanaIni(),
      'datasources.yaml': datasources(),
      'dashboardproviders.yaml': dashboardProviders(),
    }),
    configMap({ ...meta, name: dashboardsConfigMap }, { 'README.md': dashboardsReadme() }),
    clusterIpService(meta, selector, [{ name: 'service', port }]),
    grafanaDeployment(meta),
  ];
  return {
    name: ComponentName.Grafana,
    objects,
    workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: name },
  };
}
