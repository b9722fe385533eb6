// Maps `apiVersion` + `kind` to the REST resource (plural name, scope) through the API server's discovery
// documents. Answers are cached per group/version; a miss refetches once, because a CRD that was just
// established is not in an older answer.
import { ApiError, isNotFound } from './errors.ts';
import type { Transport } from './transport.ts';
import type { TypeRef } from '../objects/index.ts';

export interface ResourceInfo {
  /** e.g. `/apis/apps/v1` or `/api/v1` */
  groupVersionPath: string;
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: { name: string; kind: string; namespaced: boolean }[];
}

/** A kind the API server serves in namespaces and can list, at its group's preferred version. */
export interface NamespacedKind extends TypeRef {
  plural: string;
}

/** What aggregated discovery says of every kind: enough to walk a namespace's contents. */
export interface ServedKinds {
  /** Namespaced kinds that support `list`, each at the most preferred version of its group that serves it. */
  listable: NamespacedKind[];
  /** `apiVersion kind` of every namespaced kind, at every version served. */
  namespaced: Set<string>;
  /** Groups whose discovery is stale (an aggregated API server that does not answer): their kinds are unknown. */
  stale: string[];
}

// Aggregated discovery (GA in Kubernetes 1.30): two requests describe every group, version and kind.
const aggregatedAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface GroupDiscovery {
  metadata: { name?: string };
  versions?: {
    version: string;
    freshness?: string;
    resources?: {
      resource: string;
      responseKind?: { kind?: string };
      scope: string;
      verbs?: string[];
    }[];
  }[];
}

export class UnknownKindError extends Error {
  constructor(type: TypeRef) {
    super(`the API server does not serve kind ${type.kind} in ${type.apiVersion}`);
    this.name = 'UnknownKindError';
  }
}

/**
 * The kind is not served by this cluster: an optional CRD that is not installed (unknown to discovery) or a group
 * version that answers 404. Listing such a kind finds nothing rather than failing.
 */
export function isKindNotServed(err: unknown): boolean {
  return err instanceof UnknownKindError || isNotFound(err);
}

export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export class Discovery {
  private readonly transport: Transport;
  private readonly byGroupVersion = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  async resource(type: TypeRef): Promise<ResourceInfo> {
    const cached = await this.kinds(type.apiVersion, false);
    const hit = cached.get(type.kind);
    if (hit) return hit;
    const fresh = await this.kinds(type.apiVersion, true);
    const found = fresh.get(type.kind);
    if (!found) throw new UnknownKindError(type);
    return found;
  }

  /**
   * Every kind served, from aggregated discovery (`/api` and `/apis`). Not cached: its callers (is this namespace
   * empty?) run rarely and must see CRDs installed a moment ago.
   */
  async servedKinds(): Promise<ServedKinds> {
    const groups: GroupDiscovery[] = [];
    for (const path of ['/api', '/apis']) {
      const list = (await this.transport.json({
        method: 'GET',
        path,
        accept: aggregatedAccept,
        what: `discover ${path}`,
      })) as { items?: GroupDiscovery[] };
      groups.push(...(list.items ?? []));
    }
    return servedKindsOf(groups);
  }

  /** Forget everything, e.g. after CRDs were installed or removed. */
  invalidate(): void {
    this.byGroupVersion.clear();
  }

  private kinds(apiVersion: string, refresh: boolean): Promise<Map<string, ResourceInfo>> {
    const existing = this.byGroupVersion.get(apiVersion);
    if (existing && !refresh) return existing;
    const loading = this.fetch(apiVersion);
    this.byGroupVersion.set(apiVersion, loading);
    // A failed lookup must not stay cached.
    loading.catch(() => this.byGroupVersion.delete(apiVersion));
    return loading;
  }

  private async fetch(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const path = groupVersionPath(apiVersion);
    let list: ApiResourceList;
    try {
      list = (await this.transport.json({
        method: 'GET',
        path,
        what: `discover ${apiVersion}`,
      })) as ApiResourceList;
    } catch (err) {
      if (isNotFound(err) && err instanceof ApiError) return new Map();
      throw err;
    }
    const kinds = new Map<string, ResourceInfo>();
    for (const r of list.resources) {
      // Subresources (deployments/status, pods/log) share their parent's kind; keep only the parent.
      if (r.name.includes('/')) continue;
      kinds.set(r.kind, { groupVersionPath: path, plural: r.name, namespaced: r.namespaced });
    }
    return kinds;
  }
}

/** The kinds of aggregated discovery's groups (APIGroupDiscoveryList items). */
export function servedKindsOf(groups: readonly GroupDiscovery[]): ServedKinds {
  const served: ServedKinds = { listable: [], namespaced: new Set(), stale: [] };
  for (const group of groups) addGroup(served, group);
  return served;
}

type VersionDiscovery = NonNullable<GroupDiscovery['versions']>[number];

function addGroup(served: ServedKinds, group: GroupDiscovery): void {
  const name = group.metadata.name ?? '';
  const listed = new Set<string>();
  // Versions come in the server's order of preference: a kind is listed at the first version that serves it.
  for (const v of group.versions ?? []) {
    if (v.freshness === 'Stale') served.stale.push(name === '' ? 'core' : name);
    else addVersion(served, name === '' ? v.version : `${name}/${v.version}`, v, listed);
  }
}

function addVersion(served: ServedKinds, apiVersion: string, v: VersionDiscovery, listed: Set<string>): void {
  for (const r of v.resources ?? []) {
    const kind = r.responseKind?.kind;
    if (r.scope !== 'Namespaced' || kind === undefined) continue;
    served.namespaced.add(`${apiVersion} ${kind}`);
    if (listed.has(kind) || !(r.verbs ?? []).includes('list')) continue;
    listed.add(kind);
    served.listable.push({ apiVersion, kind, plural: r.resource });
  }
}
