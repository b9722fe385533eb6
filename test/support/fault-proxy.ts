// A fault-injecting proxy in front of the real API server, for tests of the operator's manners when the API server
// is busy or failing: requests reach it over plain HTTP on loopback and go on to the API server with the
// kubeconfig's own credentials, answers (watch streams included) come back unchanged, unless a fault rule answers
// first: an error status (with Retry-After when given) or a delay. Every request is logged with its time, so a
// test can check what was sent, in which order and how far apart.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../../src/kube/index.ts';
import { writeTestKubeconfig } from './unreachable-kubeconfig.ts';

export interface ProxiedRequest {
  /** performance.now() when the request came. */
  at: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
  /** The status answered: the API server's, or the fault's. */
  status: number;
  /** Whether a fault rule answered instead of the API server. */
  faulted: boolean;
}

/**
 * An error status (with Retry-After when given), a delay before the request goes on, or, for a watch, what the API
 * server sends once etcd has compacted the revision the watch starts from: 200, then one ERROR event with a 410
 * Status ("too old resource version"), then the end of the stream.
 */
export type Fault =
  | { status: number; reason?: string; retryAfterSeconds?: number; message?: string; body?: string }
  | { delayMs: number }
  | { watchGone: true };

const goneEvent = JSON.stringify({
  type: 'ERROR',
  object: {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    reason: 'Expired',
    code: 410,
    message: 'too old resource version (injected by the test proxy)',
  },
});

/** Decides for one request: a fault, or undefined to pass it on. */
export type FaultRule = (req: { method: string; url: string }) => Fault | undefined;

export interface FaultProxy {
  /** A kubeconfig that points at the proxy (plain HTTP on 127.0.0.1, no credentials of its own). */
  kubeconfigPath: string;
  log: ProxiedRequest[];
  /** The rule that decides faults from now on; none passes everything. */
  setRule(rule: FaultRule | undefined): void;
  close(): Promise<void>;
}

/** A rule that answers the first `times` requests `matching` with `fault`, then passes everything. */
export function faultTimes(
  matching: (req: { method: string; url: string }) => boolean,
  times: number,
  fault: Fault,
): FaultRule {
  let left = times;
  return (req) => {
    if (left <= 0 || !matching(req)) return undefined;
    left -= 1;
    return fault;
  };
}

function statusBody(code: number, message: string, reason: string | undefined): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, message, reason });
}

/** Answers in the API server's place: an error status, or a watch that ends in 410 Gone. */
function answerFault(
  res: ServerResponse,
  entry: ProxiedRequest,
  fault: Exclude<Fault, { delayMs: number }>,
): void {
  if ('watchGone' in fault) {
    entry.status = 410;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`${goneEvent}\n`);
    return;
  }
  entry.status = fault.status;
  res.writeHead(fault.status, {
    // A body given as is is plain text (API Priority and Fairness answers its 429 so); else a Status object.
    'content-type': fault.body === undefined ? 'application/json' : 'text/plain; charset=utf-8',
    ...(fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }),
  });
  res.end(
    fault.body ?? statusBody(fault.status, fault.message ?? 'injected by the test proxy', fault.reason),
  );
}

export async function startFaultProxy(upstreamKubeconfig: string): Promise<FaultProxy> {
  const upstream = loadKubeConfig({ file: upstreamKubeconfig });
  const tls: https.RequestOptions = {};
  await upstream.access.secure(tls);
  const log: ProxiedRequest[] = [];
  let rule: FaultRule | undefined;

  const forward = (req: IncomingMessage, res: ServerResponse, entry: ProxiedRequest): void => {
    const headers = { ...req.headers };
    delete headers.host;
    const out = https.request(
      new URL(req.url ?? '/', upstream.server),
      {
        ...tls,
        method: req.method ?? 'GET',
        headers: { ...(tls.headers as Record<string, string> | undefined), ...headers },
      },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(entry.status, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const entry: ProxiedRequest = { at: performance.now(), method, url, status: 0, faulted: false };
    log.push(entry);
    const fault = rule?.({ method, url });
    if (fault === undefined) {
      forward(req, res, entry);
      return;
    }
    if ('delayMs' in fault) {
      const timer = setTimeout(() => {
        forward(req, res, entry);
      }, fault.delayMs);
      res.on('close', () => {
        clearTimeout(timer);
      });
      return;
    }
    entry.faulted = true;
    req.resume();
    answerFault(res, entry, fault);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const dir = mkdtempSync(join(tmpdir(), 'meshop-fault-proxy-'));
  // No credentials of its own: the proxy adds the kubeconfig's on the way to the API server.
  const kubeconfigPath = writeTestKubeconfig(
    join(dir, 'kubeconfig.yaml'),
    `http://127.0.0.1:${String(port)}`,
    '{}',
  );
  return {
    kubeconfigPath,
    log,
    setRule: (next) => {
      rule = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
