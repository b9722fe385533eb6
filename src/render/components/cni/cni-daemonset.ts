// The agent's DaemonSet: one pod per Linux node, scheduled even on tainted and not-yet-ready nodes (the
// agent is what makes pod networking ready), and never itself captured by a sidecar or by ambient mode.
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject, JsonValue } from '../../../tree/index.ts';
import { ifSet } from './optional-fields.ts';
import type { RenderContext } from '../../context.ts';
import { readBool, readList, readNumber, readTree } from '../../values.ts';
import { cniContainer } from './cni-container.ts';
import { cniContainerName, cniLabels, cniName, cniNodeName, nodeSelectorLabels } from './cni-metadata.ts';
import type { CniValues } from './cni-values.ts';
import { cniVolumes } from './cni-volumes.ts';
import { stringMap } from './string-values.ts';

function podLabels(v: CniValues): JsonObject {
  return {
    ...nodeSelectorLabels,
    'sidecar.istio.io/inject': 'false',
    'istio.io/dataplane-mode': 'none',
    'app.kubernetes.io/name': cniName,
    ...stringMap(readTree(v.cni, 'podLabels')),
  };
}

function podAnnotations(v: CniValues): JsonObject {
  return {
    'sidecar.istio.io/inject': 'false',
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '15014',
    'prometheus.io/path': '/metrics',
    // AppArmor profiles can block the capabilities the agent holds; Kubernetes < 1.30 only takes this form.
    ...(readBool(v.cni, 'useAppArmorAnnotation', true)
      ? { [`container.apparmor.security.beta.kubernetes.io/${cniContainerName}`]: 'unconfined' }
      : {}),
    ...stringMap(readTree(v.cni, 'podAnnotations')),
  };
}

function podSpec(v: CniValues): JsonObject {
  const sharesHostNetwork =
    readBool(v.cni, 'ambient.enabled', false) && readBool(v.cni, 'ambient.shareHostNetworkNamespace', false);
  return {
    ...(sharesHostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    ...ifSet('affinity', readTree(v.cni, 'affinity') as JsonObject),
    ...ifSet('tolerations', readList(v.cni, 'tolerations') as JsonValue[]),
    priorityClassName: 'system-node-critical',
    serviceAccountName: cniName,
    // Time to remove the plugin cleanly before a replacement pod installs it again.
    terminationGracePeriodSeconds: readNumber(v.cni, 'terminationGracePeriodSeconds', 30),
    containers: [cniContainer(v)],
    volumes: cniVolumes(v),
  };
}

export function cniDaemonSet(ctx: RenderContext, v: CniValues): KubeObject {
  const daemonSetLabels = stringMap(readTree(v.cni, 'daemonSetLabels'));
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      name: cniNodeName,
      namespace: v.namespace,
      labels: { ...cniLabels(ctx, nodeSelectorLabels), ...daemonSetLabels },
    },
    spec: {
      selector: { matchLabels: nodeSelectorLabels },
      ...ifSet('updateStrategy', readTree(v.cni, 'updateStrategy') as JsonObject),
      template: {
        metadata: { labels: podLabels(v), annotations: podAnnotations(v) },
        spec: podSpec(v),
      },
    },
  };
}
