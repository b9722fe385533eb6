// istiod's Deployment. Replicas are left to the HPA when autoscaling is on, so neither meshop nor a GitOps tool
// fights the autoscaler over spec.replicas.
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned, revLabel } from '../../context.ts';
import { readBool, readList, readNumber, readString, readTree } from '../../values.ts';
import { discoveryContainer } from './discovery-container.ts';
import type { IstiodValues } from './istiod-values.ts';
import { istiodPodLabels, istiodSelector } from './selectors.ts';

function volumes(ctx: RenderContext, v: IstiodValues): JsonValue[] {
  const bundle = readString(v.global, 'trustBundleName', '');
  const clusterTrustBundle = readTree(v.pilot, 'env').ENABLE_CLUSTER_TRUST_BUNDLE_API === true;
  const caSource: JsonObject = clusterTrustBundle
    ? {
        projected: {
          sources: [
            {
              clusterTrustBundle: {
                name: `istio.io:istiod-ca:${bundle || 'root-cert'}`,
                path: 'root-cert.pem',
                optional: true,
              },
            },
          ],
        },
      }
    : { configMap: { name: bundle || 'istio-ca-root-cert', defaultMode: 420, optional: true } };
  const extraRootCa = readString(v.pilot, 'jwksResolverExtraRootCA', '');
  const optionalSecret = (name: string, secretName: string): JsonObject => ({
    name,
    secret: { secretName, optional: true },
  });
  return [
    { name: 'local-certs', emptyDir: { medium: 'Memory' } },
    {
      name: 'istio-token',
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: readString(v.global, 'sds.token.aud', 'istio-ca'),
              expirationSeconds: 43200,
              path: 'istio-token',
            },
          },
        ],
      },
    },
    optionalSecret('cacerts', 'cacerts'),
    optionalSecret('istio-kubeconfig', 'istio-kubeconfig'),
    optionalSecret('istio-csr-dns-cert', 'istiod-tls'),
    { name: 'istio-csr-ca-configmap', ...caSource },
    ...(extraRootCa
      ? [{ name: 'extracacerts', configMap: { name: revisioned(ctx, 'pilot-jwks-extra-cacerts') } }]
      : []),
    ...(readList(v.pilot, 'volumes') as JsonValue[]),
  ];
}

/** Pod-level settings copied from the values only when set, so the rendered object stays minimal. */
function optionalPodFields(v: IstiodValues): JsonObject {
  const out: JsonObject = {};
  for (const key of ['nodeSelector', 'affinity'] as const) {
    const value = readTree(v.pilot, key);
    if (Object.keys(value).length > 0) out[key] = value as JsonObject;
  }
  const spread = readList(v.pilot, 'topologySpreadConstraints');
  if (spread.length > 0) out.topologySpreadConstraints = spread as JsonValue[];
  const priority = readString(v.global, 'priorityClassName', '');
  if (priority) out.priorityClassName = priority;
  const init = readList(v.pilot, 'initContainers');
  if (init.length > 0) out.initContainers = init as JsonValue[];
  return out;
}

function podSpec(ctx: RenderContext, v: IstiodValues): JsonObject {
  return {
    ...optionalPodFields(v),
    // istiod must start on nodes whose CNI agent is not ready yet: it is what makes them ready.
    tolerations: [
      { key: 'cni.istio.io/not-ready', operator: 'Exists' },
      ...(readList(v.pilot, 'tolerations') as JsonValue[]),
    ],
    serviceAccountName: revisioned(ctx, 'istiod'),
    containers: [discoveryContainer(ctx, v)],
    volumes: volumes(ctx, v),
  };
}

function replicas(v: IstiodValues): JsonObject {
  if (readBool(v.pilot, 'autoscaleEnabled', true)) return {};
  const count = readNumber(v.pilot, 'replicaCount', 0);
  return count > 0 ? { replicas: count } : {};
}

export function istiodDeployment(ctx: RenderContext, v: IstiodValues): KubeObject {
  const rev = revLabel(ctx);
  const podLabels = { ...istiodPodLabels(ctx, rev), ...(readTree(v.pilot, 'podLabels') as JsonObject) };
  const deploymentLabels = readTree(v.pilot, 'deploymentLabels') as Record<string, string>;
  const annotations = readTree(v.pilot, 'deploymentAnnotations') as Record<string, string>;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: revisioned(ctx, 'istiod'),
      namespace: ctx.namespace,
      labels: { app: 'istiod', 'istio.io/rev': rev, istio: 'pilot', ...deploymentLabels },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      ...replicas(v),
      strategy: {
        rollingUpdate: {
          maxSurge: readString(v.pilot, 'rollingMaxSurge', '100%'),
          maxUnavailable: readString(v.pilot, 'rollingMaxUnavailable', '25%'),
        },
      },
      selector: { matchLabels: istiodSelector(ctx) },
      template: {
        metadata: {
          labels: podLabels,
          annotations: {
            'prometheus.io/port': '15014',
            'prometheus.io/scrape': 'true',
            'sidecar.istio.io/inject': 'false',
            ...(readTree(v.pilot, 'podAnnotations') as JsonObject),
          },
        },
        spec: podSpec(ctx, v),
      },
    },
  };
}
