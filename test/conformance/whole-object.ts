// Whole-object comparison of two renders (meshop's and istioctl's), after a short, explicit normalisation: the
// only differences the conformance test allows. Everything else shows as a field-level difference.
import { parseAllDocuments } from 'yaml';

export type Obj = Record<string, unknown>;

/** What the normalisation removes, printed by the test so a reader sees the whole allowance. */
export const normalisation = [
  "meshop's ownership labels (meshop.dev/*) and pod-template annotation meshop.dev/istio-version",
  'the Helm bookkeeping label app.kubernetes.io/managed-by (Helm for istioctl, meshop for meshop)',
  'Namespace objects, which meshop renders for gateways in a namespace of their own and istioctl does not',
  'webhook caBundle, which istiod fills in at run time',
] as const;

const bookkeepingLabels = ['app.kubernetes.io/managed-by'];

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripMeta(meta: unknown, key: 'labels' | 'annotations'): void {
  if (!isObj(meta) || !isObj(meta[key])) return;
  const kept = Object.entries(meta[key]).filter(
    ([k]) => !k.startsWith('meshop.dev/') && !(key === 'labels' && bookkeepingLabels.includes(k)),
  );
  if (kept.length > 0) meta[key] = Object.fromEntries(kept);
  else Reflect.deleteProperty(meta, key);
}

/** A normalised deep copy of `obj`. */
export function normalise(obj: Obj): Obj {
  const o = structuredClone(obj);
  stripMeta(o.metadata, 'labels');
  stripMeta(o.metadata, 'annotations');
  const template = isObj(o.spec) && isObj(o.spec.template) ? o.spec.template : undefined;
  if (template) {
    stripMeta(template.metadata, 'annotations');
    stripMeta(template.metadata, 'labels');
  }
  if (Array.isArray(o.webhooks)) {
    for (const hook of o.webhooks)
      if (isObj(hook) && isObj(hook.clientConfig)) delete hook.clientConfig.caBundle;
  }
  return o;
}

export function objectKey(o: Obj): string {
  const meta = isObj(o.metadata) ? o.metadata : {};
  const ns = typeof meta.namespace === 'string' ? `${meta.namespace}/` : '';
  return `${String(o.kind)} ${ns}${String(meta.name)}`;
}

export function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is Obj => isObj(o) && typeof o.kind === 'string');
}

const show = (v: unknown): string => (v === undefined ? 'absent' : JSON.stringify(v).slice(0, 200));

/** Field paths where `a` (meshop's) and `b` (istioctl's) differ, with both values, at most 20 of them. */
export function diffFields(a: unknown, b: unknown): string[] {
  const out: string[] = [];
  walk(a, b, '', out);
  return out.slice(0, 20);
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  const at = (k: string | number): string =>
    typeof k === 'number' ? `${path}[${String(k)}]` : path ? `${path}.${k}` : k;
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], at(k), out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => {
      walk(v, b[i], at(i), out);
    });
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${path}: meshop ${show(a)} / istioctl ${show(b)}`);
  }
}
