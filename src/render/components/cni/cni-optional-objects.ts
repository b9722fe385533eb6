// Objects the CNI agent gets only in some setups: a Multus network for Istio's plugin (OpenShift), a quota
// for node-critical pods (GKE), and a NetworkPolicy admitting only its metrics and readiness ports.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';
import { readBool, readString } from '../../values.ts';
import { cniLabels, cniName, nodeSelectorLabels } from './cni-metadata.ts';
import type { CniValues } from './cni-values.ts';
import { nodeCriticalQuota } from './node-critical-quota.ts';

/** With Multus, pods opt into Istio's plugin by naming this network; Istio creates it in `default`. */
function multusNetwork(ctx: RenderContext): KubeObject {
  // Istio leaves the revision off: one network serves every revision.
  const labels = cniLabels(ctx);
  delete labels['istio.io/rev'];
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name: cniName, namespace: 'default', labels },
  };
}

function networkPolicy(ctx: RenderContext, v: CniValues): KubeObject {
  const port = (n: number) => ({ ports: [{ protocol: 'TCP', port: n }] });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: revisioned(ctx, cniName),
      namespace: v.namespace,
      labels: cniLabels(ctx, nodeSelectorLabels),
    },
    spec: {
      podSelector: { matchLabels: nodeSelectorLabels },
      policyTypes: ['Ingress', 'Egress'],
      // Metrics, then the readiness probe.
      ingress: [port(15014), port(8000)],
      // The API server's address differs by distribution, so all egress stays open.
      egress: [{}],
    },
  };
}

/** The optional objects that are namespaced (their chart renders them only with namespaced resources). */
export function cniNamespacedExtras(ctx: RenderContext, v: CniValues): KubeObject[] {
  const out: KubeObject[] = [];
  if (readString(v.cni, 'provider', 'default') === 'multus') out.push(multusNetwork(ctx));
  if (readBool(v.cni, 'resourceQuotas.enabled', false)) {
    out.push(
      nodeCriticalQuota({
        name: `${cniName}-resource-quota`,
        namespace: v.namespace,
        labels: { 'app.kubernetes.io/name': cniName },
        pods: readString(v.cni, 'resourceQuotas.pods', '5000'),
      }),
    );
  }
  return out;
}

/** Istio renders this one whatever the resource scope. */
export function cniNetworkPolicies(ctx: RenderContext, v: CniValues): KubeObject[] {
  return readBool(v.global, 'networkPolicy.enabled', false) ? [networkPolicy(ctx, v)] : [];
}
