// A container's environment as a kubelet builds it: literal values, the downward API (fieldRef and
// resourceFieldRef), ConfigMap and Secret keys, and `$(VAR)` references to earlier variables.
import type { KubeObject, ObjectClient } from '../../../src/kube/index.ts';
import type { Container, EnvVar, FieldRef, KeyRef, Pod, ResourceFieldRef } from './pod-spec.ts';

export interface PodFacts {
  pod: Pod;
  podIP: string;
  hostIP: string;
}

/** A field of the downward API, as the kubelet resolves it. */
export function downwardField(facts: PodFacts, ref: FieldRef): string {
  const m = facts.pod.metadata;
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(ref.fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? m.labels : m.annotations)?.[keyed[2] ?? ''] ?? '';
  const fields: Record<string, string | undefined> = {
    'metadata.name': m.name,
    'metadata.namespace': m.namespace,
    'metadata.uid': m.uid,
    'spec.nodeName': facts.pod.spec.nodeName,
    'spec.serviceAccountName': facts.pod.spec.serviceAccountName ?? 'default',
    'status.podIP': facts.podIP,
    'status.podIPs': facts.podIP,
    'status.hostIP': facts.hostIP,
    'status.hostIPs': facts.hostIP,
  };
  return fields[ref.fieldPath] ?? '';
}

// Without a limit the kubelet reports the node's allocatable; these are the runner's stand-in node's.
const nodeAllocatable: Record<string, number> = { cpu: 2, memory: 8 * 1024 ** 3, 'ephemeral-storage': 0 };

function quantity(text: string): number {
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(text);
  if (!m) return Number(text);
  const scale: Record<string, number> = {
    '': 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
  };
  return Number(m[1]) * (scale[m[2] ?? ''] ?? 1);
}

function resourceField(container: Container, ref: ResourceFieldRef): string {
  const [kind, name = ''] = ref.resource.split('.');
  const set = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  const value = set?.[name] !== undefined ? quantity(set[name]) : (nodeAllocatable[name] ?? 0);
  // The kubelet rounds up to whole divisors (GOMAXPROCS from limits.cpu with divisor 1 is at least 1).
  return String(Math.max(1, Math.ceil(value / quantity(String(ref.divisor ?? '1')))));
}

async function keyOf(
  client: ObjectClient,
  kind: 'ConfigMap' | 'Secret',
  namespace: string,
  ref: KeyRef,
): Promise<string | undefined> {
  const obj = await client.find<KubeObject & { data?: Record<string, string> }>({
    apiVersion: 'v1',
    kind,
    namespace,
    name: ref.name,
  });
  const raw = obj?.data?.[ref.key];
  if (raw === undefined) {
    if (ref.optional) return undefined;
    throw new Error(`${kind} ${namespace}/${ref.name} has no key ${ref.key}`);
  }
  return kind === 'Secret' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** Expands `$(NAME)` from `vars`; `$$(NAME)` escapes, an unknown name stays as written (kubelet rules). */
export function expand(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$(\$|\(([A-Za-z_][A-Za-z0-9_.-]*)\))/g, (whole, inner: string, name?: string) => {
    if (inner === '$') return '$';
    return name !== undefined && vars[name] !== undefined ? vars[name] : whole;
  });
}

async function valueOf(
  client: ObjectClient,
  facts: PodFacts,
  container: Container,
  v: EnvVar,
): Promise<string | undefined> {
  const from = v.valueFrom;
  if (!from) return v.value ?? '';
  const ns = facts.pod.metadata.namespace ?? 'default';
  if (from.fieldRef) return downwardField(facts, from.fieldRef);
  if (from.resourceFieldRef) return resourceField(container, from.resourceFieldRef);
  if (from.configMapKeyRef) return keyOf(client, 'ConfigMap', ns, from.configMapKeyRef);
  if (from.secretKeyRef) return keyOf(client, 'Secret', ns, from.secretKeyRef);
  return '';
}

export async function containerEnv(
  client: ObjectClient,
  facts: PodFacts,
  container: Container,
  base: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  const env: Record<string, string> = { ...base };
  for (const v of container.env ?? []) {
    const value = await valueOf(client, facts, container, v);
    if (value !== undefined) env[v.name] = v.valueFrom ? value : expand(value, env);
  }
  return env;
}
