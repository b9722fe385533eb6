// Where gateway pods may run: node affinity from the node selector and the architecture weights of the
// values, anti-affinity from the gateway's label-selector lists, and tolerations. Each falls back to the
// global default the way Istio's gateway charts do.
import { cloneJson, isJsonObject } from '../../../tree/index.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject } from '../../../tree/index.ts';
import { readList, readString, readTree } from '../../values.ts';
import type { GatewayModel } from './gateway-model.ts';
import { sortedEntries, toStringMap } from './string-map.ts';

const archKey = 'kubernetes.io/arch';

/** Architectures with a positive weight (0 means "never"), in sorted order. */
function weightedArchs(model: GatewayModel): [string, number][] {
  const arch = readTree(model.global, 'arch');
  return Object.keys(arch)
    .sort()
    .map((name): [string, number] => [name, Math.trunc(Number(arch[name]))])
    .filter(([, weight]) => weight > 0);
}

function nodeAffinity(model: GatewayModel): JsonObject | undefined {
  const own = toStringMap(model.gateway.nodeSelector);
  const selector =
    Object.keys(own).length > 0 ? own : toStringMap(readTree(model.global, 'defaultNodeSelector'));
  const archs = weightedArchs(model);
  const hasArch = Object.keys(readTree(model.global, 'arch')).length > 0;
  if (!hasArch && Object.keys(selector).length === 0) return undefined;
  const matchExpressions: JsonValue[] = [
    ...(hasArch ? [{ key: archKey, operator: 'In', values: archs.map(([name]) => name) }] : []),
    ...sortedEntries(selector).map(([key, value]) => ({ key, operator: 'In', values: [value] })),
  ];
  const preferred = archs.map(([name, weight]) => ({
    weight,
    preference: { matchExpressions: [{ key: archKey, operator: 'In', values: [name] }] },
  }));
  return {
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] },
    ...(preferred.length > 0 ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

/** `values` and `namespaces` are comma-separated strings in the values. */
const commaList = (text: string): string[] => text.split(',');

/** One anti-affinity term from a values entry {key, operator, values, topologyKey, namespaces}. */
function antiAffinityTerm(item: ReadonlyJsonObject): JsonObject {
  const values = readString(item, 'values', '');
  const namespaces = readString(item, 'namespaces', '');
  const expression = {
    key: readString(item, 'key', ''),
    operator: readString(item, 'operator', ''),
    ...(values ? { values: commaList(values) } : {}),
  };
  return {
    labelSelector: { matchExpressions: [expression] },
    topologyKey: readString(item, 'topologyKey', ''),
    ...(namespaces ? { namespaces: commaList(namespaces) } : {}),
  };
}

function podAntiAffinity(model: GatewayModel): JsonObject | undefined {
  const required = readList(model.gateway, 'podAntiAffinityLabelSelector').filter(isJsonObject);
  const preferred = readList(model.gateway, 'podAntiAffinityTermLabelSelector').filter(isJsonObject);
  const out: JsonObject = {};
  if (required.length > 0)
    out.requiredDuringSchedulingIgnoredDuringExecution = required.map(antiAffinityTerm);
  if (preferred.length > 0) {
    out.preferredDuringSchedulingIgnoredDuringExecution = preferred.map((item) => ({
      podAffinityTerm: preferredTerm(item),
      weight: 100,
    }));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Preferred terms take no namespaces in Istio's charts. */
function preferredTerm(item: ReadonlyJsonObject): JsonObject {
  const term = antiAffinityTerm(item);
  delete term.namespaces;
  return term;
}

export function podAffinity(model: GatewayModel): JsonObject | undefined {
  const node = nodeAffinity(model);
  const pod = podAntiAffinity(model);
  if (!node && !pod) return undefined;
  return { ...(node ? { nodeAffinity: node } : {}), ...(pod ? { podAntiAffinity: pod } : {}) };
}

/** The gateway's tolerations, else the global default ones. */
export function podTolerations(model: GatewayModel): JsonValue[] | undefined {
  const own = readList(model.gateway, 'tolerations');
  const chosen = own.length > 0 ? own : readList(model.global, 'defaultTolerations');
  return chosen.length > 0 ? chosen.map(cloneJson) : undefined;
}
