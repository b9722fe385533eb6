// What still uses each control-plane revision: revision tags, namespaces labelled for it, pods running its
// proxy (as their injection recorded it), and the mesh's gateways. A revision is removed only when nothing does;
// this module only decides, from metadata the caller read.
import type { ObjectMeta } from '../objects/index.ts';
import { IstioLabel } from '../objects/index.ts';
import { defaultRevisionName } from './naming.ts';
import { podProxyRevision } from './pod-proxy-revision.ts';

export interface Usage {
  tags: string[];
  namespaces: string[];
  pods: number;
  gateways: string[];
}

export interface UsageInput {
  /** Revisions to account for (the mesh's own). */
  revisions: readonly string[];
  /** Tag → revision, with "active" already resolved. */
  tags: Readonly<Record<string, string>>;
  namespaces: readonly Pick<ObjectMeta, 'name' | 'labels'>[];
  pods: readonly Pick<ObjectMeta, 'namespace' | 'annotations' | 'deletionTimestamp'>[];
  /** `namespace/name` → revision of each gateway Deployment of the mesh (its pod template's istio.io/rev). */
  gateways: Readonly<Record<string, string>>;
}

/** The revision `istio-injection=enabled` means: the `default` tag's, else the unrevisioned control plane. */
export function injectionEnabledRevision(tags: Readonly<Record<string, string>>): string {
  return tags.default ?? defaultRevisionName;
}

/** The revision an `istio.io/rev` value names: a tag's revision, or the value itself. */
export function resolveRevision(value: string, tags: Readonly<Record<string, string>>): string {
  return tags[value] ?? value;
}

/** The revision a namespace's labels send its pods to, or undefined when it asks for none. */
export function namespaceRevision(
  labels: Readonly<Record<string, string>> | undefined,
  tags: Readonly<Record<string, string>>,
): string | undefined {
  const injection = labels?.[IstioLabel.injection];
  // istio-injection wins over istio.io/rev, whatever its value (the injectors' selectors agree).
  if (injection !== undefined) return injection === 'enabled' ? injectionEnabledRevision(tags) : undefined;
  const rev = labels?.[IstioLabel.revision];
  return rev === undefined ? undefined : resolveRevision(rev, tags);
}

/**
 * The proxy revision values (as pods record them, podProxyRevision) that count for `revisions`: each revision
 * itself and every tag that resolves to one; any other value resolves to itself, so no other pod can count.
 * Lets a reader fetch only those pods from an index instead of walking every pod of the cluster.
 */
export function proxyValuesFor(
  revisions: readonly string[],
  tags: Readonly<Record<string, string>>,
): string[] {
  const wanted = new Set(revisions);
  return [...new Set([...revisions, ...Object.keys(tags)])].filter((v) =>
    wanted.has(resolveRevision(v, tags)),
  );
}

/**
 * The revision each live pod's proxy holds on to: the one that injected it. A pod without a proxy holds none,
 * whatever revision its labels ask for; a terminating one is on its way out.
 */
function podRevisions(input: UsageInput): string[] {
  return input.pods.flatMap((pod) => {
    const revision = pod.deletionTimestamp ? undefined : podProxyRevision(pod);
    return revision === undefined ? [] : [resolveRevision(revision, input.tags)];
  });
}

export function usageOf(input: UsageInput): Map<string, Usage> {
  const usage = new Map<string, Usage>();
  for (const rev of input.revisions) usage.set(rev, { tags: [], namespaces: [], pods: 0, gateways: [] });
  // Only the mesh's own revisions are counted; references to anything else are someone else's.
  const count = (rev: string | undefined, add: (u: Usage) => void): void => {
    const entry = rev === undefined ? undefined : usage.get(rev);
    if (entry) add(entry);
  };
  for (const [tag, rev] of Object.entries(input.tags)) count(rev, (u) => u.tags.push(tag));
  for (const ns of input.namespaces) {
    count(namespaceRevision(ns.labels, input.tags), (u) => u.namespaces.push(ns.name ?? ''));
  }
  for (const rev of podRevisions(input)) count(rev, (u) => u.pods++);
  for (const [gateway, rev] of Object.entries(input.gateways)) count(rev, (u) => u.gateways.push(gateway));
  for (const entry of usage.values()) {
    entry.tags.sort();
    entry.namespaces.sort();
    entry.gateways.sort();
  }
  return usage;
}

export function isUsed(usage: Usage): boolean {
  return usage.tags.length > 0 || usage.namespaces.length > 0 || usage.pods > 0 || usage.gateways.length > 0;
}

const listed = (what: string, names: readonly string[], limit = 5): string[] => {
  if (names.length === 0) return [];
  const shown = names.slice(0, limit).join(', ');
  return [`${what} ${shown}${names.length > limit ? ` and ${String(names.length - limit)} more` : ''}`];
};

/** "tags prod; namespaces a, b; 3 pods; gateways istio-system/istio-ingressgateway", or "" when unused. */
export function describeUsage(usage: Usage): string {
  return [
    ...listed('tags', usage.tags),
    ...listed('namespaces', usage.namespaces),
    ...(usage.pods > 0 ? [`${String(usage.pods)} pods`] : []),
    ...listed('gateways', usage.gateways),
  ].join('; ');
}
