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
