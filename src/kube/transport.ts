// Raw HTTPS to the API server. Bodies go out as the exact JSON we built and come back as parsed JSON: no typed
// models in between, because client-node's serializer drops unknown fields and `x-kubernetes-*` keys (ADR 0002).
import { setTimeout as sleep } from 'node:timers/promises';
import type https from 'node:https';
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { LoadedKubeConfig } from './config.ts';
import { ApiError, TransportError } from './errors.ts';
import { TokenBucket } from './token-bucket.ts';
import type { ClientRateLimit } from './token-bucket.ts';
import type { ApiStatus } from '../objects/index.ts';

// The CommonJS module objects rather than ESM imports: importing node:http as ESM builds its facade, which reads
// every export, and one of them loads Node's bundled undici, about 10 ms of every CLI start for nothing we use.
const http = process.getBuiltinModule('node:http');
const httpsModule = process.getBuiltinModule('node:https');

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

export interface TransportOptions {
  impersonation?: Impersonation | undefined;
  /** The client-side rate limit (client-go's QPS and burst); none when unset. */
  rateLimit?: ClientRateLimit | undefined;
  /** Milliseconds until an unanswered request is abandoned, unless the request says otherwise (30 s). */
  requestTimeoutMs?: number | undefined;
  /**
   * Once aborted, every request in flight is cut and none is sent again. The operator aborts it the moment it
   * loses its lease: from then on a successor may lead, and nothing of ours may reach the API server.
   */
  fence?: AbortSignal | undefined;
  /** Told of every request sent (each retry too): for the operator's `rest_client_*` metrics. */
  observe?: RequestObserver | undefined;
  /** The User-Agent header (`meshop` unless given): tests tell one client's requests from another's by it. */
  userAgent?: string | undefined;
}

/** One request as client-go's metrics count it: `code` is the HTTP status, or "<error>" when none came. */
export interface RequestObservation {
  method: string;
  /** host:port of the API server. */
  host: string;
  code: string;
  /** Until the response headers came (a watch's stream is not counted). */
  seconds: number;
}
export type RequestObserver = (observation: RequestObservation) => void;

// As client-go: a server that answers 429, or 5xx with Retry-After, has not acted on the request and says when to
// come back; after this many such answers the last one is the caller's error (and its retry, the work queue's).
const maxRetryAfters = 10;
// A Retry-After this long would hold a worker hostage; the work queue's backoff takes over beyond it.
const retryAfterCapSeconds = 30;

/** The wait a 429 or 5xx answer asks for, in milliseconds; undefined when it asks for none. */
export function retryAfterMs(code: number, header: string | string[] | undefined): number | undefined {
  if (code !== 429 && (code < 500 || code > 599)) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = Number.parseInt(value, 10);
  // An unreadable value (or an HTTP date, which the API server never sends) still asks for a wait: one second.
  const asked = Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
  return Math.min(asked, retryAfterCapSeconds) * 1000;
}

export class Transport {
  readonly server: string;
  private readonly kube: LoadedKubeConfig;
  private readonly impersonation: Impersonation | undefined;
  private readonly bucket: TokenBucket | undefined;
  private readonly timeoutMs: number;
  private readonly fence: AbortSignal | undefined;
  private readonly observe: RequestObserver | undefined;
  private readonly userAgent: string;
  /** host:port of the server, as the request metrics label it. */
  private readonly host: string;

  constructor(kube: LoadedKubeConfig, options: TransportOptions = {}) {
    this.kube = kube;
    this.server = kube.server;
    this.impersonation = options.impersonation;
    this.bucket =
      options.rateLimit && options.rateLimit.qps > 0 ? new TokenBucket(options.rateLimit) : undefined;
    this.timeoutMs = options.requestTimeoutMs ?? defaultTimeoutMs;
    this.userAgent = options.userAgent ?? userAgent;
    this.fence = options.fence;
    this.observe = options.observe;
    this.host = new URL(kube.server).host;
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

  /** Sends under the rate limit, and again while the server answers with Retry-After (see maxRetryAfters). */
  private async open(request: HttpRequest): Promise<IncomingMessage> {
    const req = this.fenced(request);
    for (let attempt = 1; ; attempt++) {
      // An aborted signal would make http.request fail anyway; this way no header is even built.
      if (req.signal?.aborted) throw new TransportError(req.what, req.signal.reason);
      await waiting(req, () => this.bucket?.take(req.signal));
      const res = await this.timedOpenOnce(req);
      const wait = retryAfterMs(res.statusCode ?? 0, res.headers['retry-after']);
      if (wait === undefined || attempt > maxRetryAfters) return res;
      res.resume();
      await waiting(req, () => sleep(wait, undefined, req.signal ? { signal: req.signal } : undefined));
    }
  }

  /** The request with the fence joined to its own signal. */
  private fenced(req: HttpRequest): HttpRequest {
    if (!this.fence) return req;
    return { ...req, signal: req.signal ? AbortSignal.any([this.fence, req.signal]) : this.fence };
  }

  /** openOnce, told to the observer with its status (or "<error>") and duration. */
  private async timedOpenOnce(req: HttpRequest): Promise<IncomingMessage> {
    const observe = this.observe;
    if (!observe) return this.openOnce(req);
    const started = performance.now();
    const told = (code: string): void => {
      observe({ method: req.method, host: this.host, code, seconds: (performance.now() - started) / 1000 });
    };
    try {
      const res = await this.openOnce(req);
      told(String(res.statusCode ?? 0));
      return res;
    } catch (err) {
      told('<error>');
      throw err;
    }
  }

  private async openOnce(req: HttpRequest): Promise<IncomingMessage> {
    const opts: RequestOptions & https.RequestOptions = {};
    await this.kube.access.secure(opts);
    const url = new URL(this.server + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = encodeBody(req.body);
    opts.method = req.method;
    opts.headers = {
      ...(opts.headers as Record<string, string> | undefined),
      accept: req.accept ?? 'application/json',
      // Names us in the API server's audit log and request metrics (kubectl sends "kubectl/<version>").
      'user-agent': this.userAgent,
      ...impersonationHeaders(this.impersonation),
      ...(payload === undefined
        ? {}
        : { 'content-type': req.contentType ?? 'application/json', 'content-length': payload.length }),
    };
    if (req.signal) opts.signal = req.signal;
    return send(url, opts, payload, { what: req.what, timeoutMs: req.timeoutMs ?? this.timeoutMs });
  }
}

function impersonationHeaders(as: Impersonation | undefined): Record<string, string | string[]> {
  if (as === undefined) return {};
  return {
    'impersonate-user': as.user,
    ...(as.groups ? { 'impersonate-group': [...as.groups] } : {}),
  };
}

/** A wait before sending; aborted, it fails as an aborted request does (TransportError). */
async function waiting(req: HttpRequest, wait: () => Promise<unknown> | undefined): Promise<void> {
  try {
    await wait();
  } catch (err) {
    throw new TransportError(req.what, err);
  }
}

function send(
  url: URL,
  opts: RequestOptions,
  payload: Buffer | undefined,
  { what, timeoutMs }: { what: string; timeoutMs: number },
): Promise<IncomingMessage> {
  const lib = url.protocol === 'http:' ? http : httpsModule;
  return new Promise((resolve, reject) => {
    const r = lib.request(url, opts, resolve);
    r.on('error', (err) => {
      reject(new TransportError(what, err));
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
