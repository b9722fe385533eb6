// The raw-JSON object client: get, paged list, server-side apply, delete, status merge patch and watch for any
// kind the API server serves. Objects are sent exactly as built (ADR 0002).
import type { IncomingMessage } from 'node:http';
import { Discovery } from './discovery.ts';
import type { ResourceInfo } from './discovery.ts';
import { isNotFound } from './errors.ts';
import type { HttpRequest, Transport } from './transport.ts';
import { describeRef, refOf } from '../objects/index.ts';
import type { KubeList, KubeObject, ObjectRef, TypeRef, WatchEvent } from '../objects/index.ts';

export interface ListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Page size; the client follows `continue` tokens until the list is complete. */
  pageSize?: number;
  /** Aborts the request in flight (an informer that stops while it lists). */
  signal?: AbortSignal | undefined;
  /**
   * Objects carry only apiVersion, kind and metadata (PartialObjectMetadata): far less to send and keep for
   * kinds read only for their labels, such as every injected Pod of a cluster.
   */
  metadataOnly?: boolean | undefined;
  /**
   * What to keep of each item, applied page by page as the pages arrive, so a large list is never held whole
   * as the server sent it (an informer keeps a few fields of every pod).
   */
  keep?: ((item: KubeObject) => KubeObject) | undefined;
}

// What the API server answers with when asked for metadata only (as client-go's metadata client asks).
const metadataListAccept =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const metadataWatchAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export interface ListResult<T extends KubeObject> {
  items: T[];
  /** The list's resourceVersion: start a watch from here to see every later change. */
  resourceVersion: string;
}

export interface ApplyOptions {
  fieldManager: string;
  /** Take over fields another manager owns (the operator's choice: the spec is the truth). */
  force?: boolean;
  dryRun?: boolean;
}

export const PropagationPolicy = {
  Foreground: 'Foreground',
  Background: 'Background',
  Orphan: 'Orphan',
} as const;
export type PropagationPolicy = (typeof PropagationPolicy)[keyof typeof PropagationPolicy];

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
}

export interface WatchOptions extends Omit<ListOptions, 'pageSize'> {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side limit of the watch; the server closes the stream cleanly after it. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

const defaultPageSize = 500;

export class ObjectClient {
  readonly discovery: Discovery;
  private readonly transport: Transport;

  constructor(transport: Transport) {
    this.transport = transport;
    this.discovery = new Discovery(transport);
  }

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T> {
    const path = await this.objectPath(ref);
    return (await this.transport.json({ method: 'GET', path, what: `get ${describeRef(ref)}` })) as T;
  }

  /** Like get, but a missing object is `undefined` instead of an error. */
  async find<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.get<T>(ref);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async list<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: ListOptions = {},
  ): Promise<ListResult<T>> {
    const path = await this.collectionPath(type, opts.namespace);
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = (await this.transport.json({
        method: 'GET',
        path,
        query: {
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
          limit: opts.pageSize ?? defaultPageSize,
          continue: token,
        },
        what: `list ${type.kind}`,
        signal: opts.signal,
        ...(opts.metadataOnly ? { accept: metadataListAccept } : {}),
      })) as KubeList<T>;
      // A list's items carry no apiVersion/kind; put them back so every object stands on its own.
      // A metadata-only list with nothing in it leaves `items` out.
      const keep = opts.keep ?? ((item: KubeObject) => item);
      for (const item of (page.items as T[] | null | undefined) ?? [])
        items.push(keep({ ...item, apiVersion: type.apiVersion, kind: type.kind }) as T);
      // An empty continue token means the last page.
      token = page.metadata.continue === '' ? undefined : page.metadata.continue;
      resourceVersion = page.metadata.resourceVersion ?? resourceVersion;
    } while (token);
    return { items, resourceVersion };
  }

  async create<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    const ref = refOf(obj);
    const path = await this.collectionPath(obj, obj.metadata.namespace);
    return (await this.transport.json({
      method: 'POST',
      path,
      body: obj,
      what: `create ${describeRef(ref)}`,
    })) as T;
  }

  /**
   * Replaces the whole object (PUT). With `metadata.resourceVersion` set this is a compare-and-swap: the server
   * answers 409 Conflict when the object changed since that version (leader election relies on it).
   */
  async replace<T extends KubeObject = KubeObject>(obj: KubeObject): Promise<T> {
    const ref = refOf(obj);
    const path = await this.objectPath(ref);
    return (await this.transport.json({
      method: 'PUT',
      path,
      body: obj,
      what: `replace ${describeRef(ref)}`,
    })) as T;
  }

  /** Server-side apply: the object is our complete intent for the fields we manage. */
  async apply<T extends KubeObject = KubeObject>(obj: KubeObject, opts: ApplyOptions): Promise<T> {
    const ref = refOf(obj);
    const path = await this.objectPath(ref);
    const req: HttpRequest = {
      method: 'PATCH',
      path,
      // JSON is valid YAML, and the apply content type keeps every field we send, unknown ones included.
      contentType: 'application/apply-patch+yaml',
      body: obj,
      query: { fieldManager: opts.fieldManager, force: opts.force, dryRun: opts.dryRun ? 'All' : undefined },
      what: `apply ${describeRef(ref)}`,
    };
    return (await this.transport.json(req)) as T;
  }

  /** Deletes an object; returns false when it was already gone. */
  async delete(ref: ObjectRef, opts: DeleteOptions = {}): Promise<boolean> {
    const path = await this.objectPath(ref);
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', ...opts };
    try {
      await this.transport.json({ method: 'DELETE', path, body, what: `delete ${describeRef(ref)}` });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** JSON merge patch (RFC 7386) of the status subresource. */
  async patchStatus<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown): Promise<T> {
    return this.mergePatch<T>(ref, patch, '/status');
  }

  /** JSON merge patch (RFC 7386) of the object, or of a subresource such as `/status`. */
  async mergePatch<T extends KubeObject = KubeObject>(ref: ObjectRef, patch: unknown, sub = ''): Promise<T> {
    const path = (await this.objectPath(ref)) + sub;
    return (await this.transport.json({
      method: 'PATCH',
      path,
      contentType: 'application/merge-patch+json',
      body: patch,
      what: `patch ${describeRef(ref)}${sub}`,
    })) as T;
  }

  /**
   * Opens one watch and yields its events until the server ends the stream, `signal` aborts, or the server
   * reports an error (as an ERROR event carrying a Status; a 410 there means: relist).
   */
  async *watch<T extends KubeObject = KubeObject>(
    type: TypeRef,
    opts: WatchOptions = {},
  ): AsyncGenerator<WatchEvent<T>> {
    const path = await this.collectionPath(type, opts.namespace);
    const res = await this.transport.stream({
      method: 'GET',
      path,
      query: {
        watch: true,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ?? true,
        timeoutSeconds: opts.timeoutSeconds,
      },
      signal: opts.signal,
      what: `watch ${type.kind}`,
      ...(opts.metadataOnly ? { accept: metadataWatchAccept } : {}),
    });
    try {
      yield* jsonLines<WatchEvent<T>>(res);
    } finally {
      res.destroy();
    }
  }

  private async objectPath(ref: ObjectRef): Promise<string> {
    if (!ref.name) throw new Error(`${ref.kind}: an object needs metadata.name`);
    return `${await this.collectionPath(ref, ref.namespace)}/${encodeURIComponent(ref.name)}`;
  }

  private async collectionPath(type: TypeRef, namespace: string | undefined): Promise<string> {
    const info: ResourceInfo = await this.discovery.resource(type);
    if (!info.namespaced) return `${info.groupVersionPath}/${info.plural}`;
    const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${info.groupVersionPath}${ns}/${info.plural}`;
  }
}

async function* jsonLines<T>(res: IncomingMessage): AsyncGenerator<T> {
  let buffered = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    buffered += chunk as string;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
      newline = buffered.indexOf('\n');
    }
  }
  if (buffered.trim()) yield JSON.parse(buffered) as T;
}
