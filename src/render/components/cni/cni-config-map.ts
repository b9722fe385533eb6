// The agent's settings, handed to it as environment (envFrom) from one ConfigMap: every value a string, as
// the agent parses them. Ambient capture selectors travel as YAML, the form the agent reads them in.
import { stringify } from 'yaml';
import type { KubeObject } from '../../../kube/index.ts';
import type { JsonObject } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readBool, readList, readString, readTree } from '../../values.ts';
import type { Tree } from '../../values.ts';
import { appLabel, cniConfigName, cniLabels } from './cni-metadata.ts';
import type { CniValues } from './cni-values.ts';
import { scalarString, stringEntries } from './string-values.ts';
import { ownOrGlobal } from './image-ref.ts';

const flag = (tree: Tree, path: string, fallback: boolean): string => String(readBool(tree, path, fallback));

/** Sorted keys and unindented lists, as Go's YAML writer emits them; no trailing newline. */
export function goStyleYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).trimEnd();
}

function ambientSettings(cni: Tree): Record<string, string> {
  return {
    AMBIENT_ENABLED: flag(cni, 'ambient.enabled', false),
    AMBIENT_ENABLEMENT_SELECTOR: goStyleYaml(readList(cni, 'ambient.enablementSelectors')),
    AMBIENT_DNS_CAPTURE: flag(cni, 'ambient.dnsCapture', true),
    AMBIENT_IPV6: flag(cni, 'ambient.ipv6', true),
    AMBIENT_RECONCILE_POD_RULES_ON_STARTUP: flag(cni, 'ambient.reconcileIptablesOnStartup', true),
    ENABLE_AMBIENT_DETECTION_RETRY: flag(cni, 'ambient.enableAmbientDetectionRetry', false),
  };
}

/** Where the plugin's config goes: chained into the node's CNI config, or a file of its own. */
function pluginConfigSettings(cni: Tree): Record<string, string> {
  const out: Record<string, string> = {};
  const confName = readString(cni, 'cniConfFileName', '');
  // Older Kubernetes rejects empty ConfigMap values, so an unset name is left out.
  if (confName) out.CNI_CONF_NAME = confName;
  const istioOwned = readBool(cni, 'istioOwnedCNIConfig', false);
  out.ISTIO_OWNED_CNI_CONFIG = String(istioOwned);
  if (istioOwned) out.ISTIO_OWNED_CNI_CONF_FILENAME = readString(cni, 'istioOwnedCNIConfigFileName', '');
  out.CHAINED_CNI_PLUGIN = flag(cni, 'chained', true);
  out.EXCLUDE_NAMESPACES = readList(cni, 'excludeNamespaces').map(scalarString).join(',');
  return out;
}

function repairSettings(cni: Tree): Record<string, string> {
  return {
    REPAIR_ENABLED: flag(cni, 'repair.enabled', true),
    REPAIR_LABEL_PODS: flag(cni, 'repair.labelPods', false),
    REPAIR_DELETE_PODS: flag(cni, 'repair.deletePods', false),
    REPAIR_REPAIR_PODS: flag(cni, 'repair.repairPods', true),
    REPAIR_INIT_CONTAINER_NAME: readString(cni, 'repair.initContainerName', ''),
    REPAIR_BROKEN_POD_LABEL_KEY: readString(cni, 'repair.brokenPodLabelKey', ''),
    REPAIR_BROKEN_POD_LABEL_VALUE: readString(cni, 'repair.brokenPodLabelValue', ''),
  };
}

/** The agent reports this version so that upgrades can tell old and new agents apart. */
export function agentVersion(v: CniValues): string {
  return ownOrGlobal(v.cni, v.global, 'tag');
}

export function cniConfigMap(ctx: RenderContext, v: CniValues): KubeObject {
  const data: JsonObject = {
    CURRENT_AGENT_VERSION: agentVersion(v),
    ...ambientSettings(v.cni),
    ...pluginConfigSettings(v.cni),
    ...repairSettings(v.cni),
    NATIVE_NFTABLES: flag(v.global, 'nativeNftables', false),
    ...Object.fromEntries(stringEntries(readTree(v.cni, 'env'))),
  };
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: cniConfigName, namespace: v.namespace, labels: cniLabels(ctx, appLabel) },
    data,
  };
}
