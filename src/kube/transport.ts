// Raw HTTPS to the API server. Bodies go out as the exact JSON we built and come back as parsed JSON: no typed
// models in between, because client-node's serializer drops unknown fields and `x-kubernetes-*` keys (ADR 0002).
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { LoadedKubeConfig } from './config.ts';
import { ApiError, TransportError } from './errors.ts';
import type { ApiStatus } from './types.ts';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** For messages: what this request is about, e.g. "apply Deployment istio-system/istiod". */
  what: string;
  signal?: AbortSignal | undefined;
  /** Milliseconds until an unanswered request is abandoned; watches pass 0 (no limit). */
  timeoutMs?: number;
  /** The Accept header; plain JSON unless given (metadata-only lists ask for PartialObjectMetadata). */
  accept?: string;
}

const defaultTimeoutMs = 30_000;

export const userAgent = 'meshop';

/** Act as another identity (kubectl's --as/--as-group): used to prove an RBAC role is sufficient. */
export interface Impersonation {
  user: string;
  groups?: readonly string[];
}

export class Transport {
  readonly server: string;
  private readonly kube: LoadedKubeConfig;
  private readonly impersonation: Impersonation | undefined;

  constructor(kube: LoadedKubeConfig, impersonation?: Impersonation) {
    this.kube = kube;
    this.server = kube.server;
    this.impersonation = impersonation;
  }

  /** Sends a request and parses the JSON answer; any status >= 400 becomes an ApiError. */
  async json(req: HttpRequest): Promise<unknown> {
    const res = await this.open(req);
    const text = await readBody(res);
    const code = res.statusCode ?? 0;
    if (code >= 400) throw new ApiError(req.what, code, parseStatus(text));
    return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
  }

  /** Opens a streaming response (watch); the caller consumes and destroys it. Errors as in json(). */
  async stream(req: HttpRequest): Promise<IncomingMessage> {
    const res = await this.open({ ...req, timeoutMs: req.timeoutMs ?? 0 });
    const code = res.statusCode ?? 0;
    if (code >= 400) throw new ApiError(req.what, code, parseStatus(await readBody(res)));
    return res;
  }

  private async open(req: HttpRequest): Promise<IncomingMessage> {
    const opts: RequestOptions & https.RequestOptions = {};
    await this.kube.config.applyToHTTPSOptions(opts);
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = encodeBody(req.body);
    opts.method = req.method;
    opts.headers = {
      ...(opts.headers as Record<string, string> | undefined),
      accept: req.accept ?? 'application/json',
      // Names us in the API server's audit log and request metrics (kubectl sends "kubectl/<version>").
      'user-agent': userAgent,
      ...(this.impersonation
        ? {
            'impersonate-user': this.impersonation.user,
            ...(this.impersonation.groups ? { 'impersonate-group': [...this.impersonation.groups] } : {}),
          }
        : {}),
      ...(payload === undefined
        ? {}
        : { 'content-type': req.contentType ?? 'application/json', 'content-length': payload.length }),
    };
    if (req.signal) opts.signal = req.signal;
    return send(url, opts, payload, req);
  }
}

function send(
  url: URL,
  opts: RequestOptions,
  payload: Buffer | undefined,
  req: HttpRequest,
): Promise<IncomingMessage> {
  const lib = url.protocol === 'http:' ? http : https;
  const timeoutMs = req.timeoutMs ?? defaultTimeoutMs;
  return new Promise((resolve, reject) => {
    const r = lib.request(url, opts, resolve);
    r.on('error', (err) => {
      reject(new TransportError(req.what, err));
    });
    if (timeoutMs > 0) {
      r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${String(timeoutMs)}ms`)));
    }
    r.end(payload);
  });
}

function encodeBody(body: unknown): Buffer | undefined {
  if (body === undefined) return undefined;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseStatus(text: string): ApiStatus | undefined {
  try {
    const parsed = JSON.parse(text) as { kind?: unknown };
    return parsed.kind === 'Status' ? (parsed as ApiStatus) : { kind: 'Status', message: text.slice(0, 500) };
  } catch {
    return text ? { kind: 'Status', message: text.slice(0, 500) } : undefined;
  }
}
