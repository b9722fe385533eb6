// What must be equal between meshop's render and istioctl's for an install to work the same: per kind, the
// fields that decide behaviour (images, ports, selectors, env names, RBAC rules, webhook rules and selectors,
// scaling, the mesh and injection configuration). Labels Helm adds for its own bookkeeping and key order are
// not essentials.
import { parse } from 'yaml';

type Obj = Record<string, unknown>;

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Obj)[k] : undefined), o);

/** Labels that decide selection or injection; the rest are bookkeeping. */
const meaningfulLabels = [
  'app',
  'istio',
  'istio.io/rev',
  'sidecar.istio.io/inject',
  'istio.io/dataplane-mode',
];

function pickLabels(labels: unknown): Obj {
  const l = (labels ?? {}) as Obj;
  return Object.fromEntries(meaningfulLabels.filter((k) => l[k] !== undefined).map((k) => [k, l[k]]));
}

interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: { name: string }[];
  args?: string[];
}

function containerEssentials(list: unknown): Obj[] {
  return ((list ?? []) as Container[]).map((c) => ({
    name: c.name,
    image: c.image,
    ports: (c.ports ?? [])
      .map((p) => `${p.name ?? ''}:${String(p.containerPort)}/${p.protocol ?? 'TCP'}`)
      .sort(),
    env: (c.env ?? []).map((e) => e.name).sort(),
  }));
}

function workload(o: Obj): Obj {
  return {
    selector: get(o, 'spec.selector'),
    podLabels: pickLabels(get(o, 'spec.template.metadata.labels')),
    containers: containerEssentials(get(o, 'spec.template.spec.containers')),
    initContainers: containerEssentials(get(o, 'spec.template.spec.initContainers')),
    serviceAccount: get(o, 'spec.template.spec.serviceAccountName'),
    volumes: ((get(o, 'spec.template.spec.volumes') ?? []) as { name: string }[]).map((v) => v.name).sort(),
  };
}

function service(o: Obj): Obj {
  const ports = (get(o, 'spec.ports') ?? []) as Obj[];
  return {
    type: get(o, 'spec.type') ?? 'ClusterIP',
    selector: get(o, 'spec.selector'),
    ports: ports.map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      protocol: p.protocol ?? 'TCP',
    })),
  };
}

function webhooks(o: Obj): Obj[] {
  return ((o.webhooks ?? []) as Obj[]).map((w) => {
    const clientConfig = { ...(w.clientConfig as Obj) };
    delete clientConfig.caBundle;
    return {
      name: w.name,
      clientConfig,
      rules: w.rules,
      namespaceSelector: w.namespaceSelector ?? {},
      objectSelector: w.objectSelector ?? {},
      failurePolicy: w.failurePolicy,
      sideEffects: w.sideEffects,
    };
  });
}

function configMap(o: Obj): Obj {
  const data = (o.data ?? {}) as Record<string, string>;
  const name = get(o, 'metadata.name') as string;
  // The values record is for people and tools; istiod does not read it (docs/istioctl-differences.md).
  if (/^values(-|$)/.test(name)) return { keys: Object.keys(data).sort() };
  return Object.fromEntries(
    Object.entries(data)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, k === 'values' ? (JSON.parse(v) as unknown) : (parse(v) as unknown)]),
  );
}

const byKind: Readonly<Record<string, (o: Obj) => unknown>> = {
  Deployment: workload,
  DaemonSet: workload,
  StatefulSet: workload,
  Service: service,
  ClusterRole: (o) => o.rules,
  Role: (o) => o.rules,
  ClusterRoleBinding: (o) => ({ roleRef: o.roleRef, subjects: o.subjects }),
  RoleBinding: (o) => ({ roleRef: o.roleRef, subjects: o.subjects }),
  MutatingWebhookConfiguration: webhooks,
  ValidatingWebhookConfiguration: webhooks,
  HorizontalPodAutoscaler: (o) => o.spec,
  PodDisruptionBudget: (o) => o.spec,
  ConfigMap: configMap,
  CustomResourceDefinition: (o) => o.spec,
};

export function essentials(o: Obj): unknown {
  const of = byKind[o.kind as string];
  return of ? of(o) : {};
}

export function objectKey(o: Obj): string {
  const ns = get(o, 'metadata.namespace') as string | undefined;
  return `${o.kind as string} ${ns ? `${ns}/` : ''}${get(o, 'metadata.name') as string}`;
}
