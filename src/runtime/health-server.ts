// An HTTP server for the kubelet's probes, Prometheus, or both: `/healthz` (the process answers, so its event loop
// is alive, and every health check passes), `/readyz` (every readiness check passes: caches synced) and
// `/metrics`. Check output follows the API server's: "ok", or one `[+]name ok` / `[-]name failed` line per check.
// The operator serves probes on the pod's address (the kubelet must reach them) and metrics on loopback unless
// told otherwise (they describe the cluster: namespaces, mesh names), so they are usually two servers.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, silentLogger } from './logger.ts';
import type { Logger } from './logger.ts';
import type { Exposition } from './metrics.ts';

/** Passes by returning true; false or a throw fails it (the error's message is shown). */
export type Check = () => boolean | Promise<boolean>;

export interface MetricsSource {
  expose(): Promise<Exposition>;
}

export interface HealthServerOptions {
  /** Address to bind; every interface unless given. Tests use 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 picks a free one (see `address()` after `listen()`). */
  port: number;
  /** Serves `/healthz` and `/readyz` (true unless false). */
  probes?: boolean;
  /** Serves `/metrics` from this source; no `/metrics` unless given. */
  metrics?: MetricsSource;
  logger?: Logger;
}

interface CheckResult {
  name: string;
  ok: boolean;
  reason?: string;
}

export class HealthServer {
  private readonly options: HealthServerOptions;
  private readonly log: Logger;
  private readonly healthChecks = new Map<string, Check>();
  private readonly readyChecks = new Map<string, Check>();
  private readonly server: Server;

  constructor(options: HealthServerOptions) {
    this.options = options;
    this.log = (options.logger ?? silentLogger()).child({ component: 'health-server' });
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.log.error('Failed to answer request', { error: err, path: req.url });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  addHealthCheck(name: string, check: Check): void {
    this.healthChecks.set(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    this.readyChecks.set(name, check);
  }

  async listen(): Promise<AddressInfo> {
    const { host, port } = this.options;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.address();
    const serves = [this.options.probes !== false ? 'probes' : '', this.options.metrics ? 'metrics' : ''];
    this.log.info('Serving HTTP', {
      serves: serves.filter((s) => s).join(','),
      address: address.address,
      port: address.port,
    });
    return address;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  address(): AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('health server: not listening');
    return address;
  }

  /** Stops listening and ends open connections (keep-alive ones too, so close never hangs). */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve, reject) => {
      this.server.close((err) => {
        if (err) reject(err);
        else resolve();
      });
    });
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply(res, 405, 'method not allowed\n');
      return;
    }
    const probes = this.options.probes !== false;
    if (probes && path === '/healthz') return this.checks(res, this.healthChecks, 'healthz');
    if (probes && path === '/readyz') return this.checks(res, this.readyChecks, 'readyz');
    if (path === '/metrics' && this.options.metrics) {
      const { contentType, body } = await this.options.metrics.expose();
      reply(res, 200, body, contentType);
      return;
    }
    reply(res, 404, 'not found\n');
  }

  private async checks(res: ServerResponse, checks: Map<string, Check>, what: string): Promise<void> {
    const results = await Promise.all([...checks].map(([name, check]) => run(name, check)));
    const failed = results.filter((r) => !r.ok);
    if (failed.length === 0) {
      reply(res, 200, 'ok');
      return;
    }
    const lines = results.map((r) => (r.ok ? `[+]${r.name} ok` : `[-]${r.name} failed: ${r.reason ?? ''}`));
    reply(res, 500, `${lines.join('\n')}\n${what} check failed\n`);
  }
}

async function run(name: string, check: Check): Promise<CheckResult> {
  try {
    return (await check()) ? { name, ok: true } : { name, ok: false, reason: 'not ready' };
  } catch (err) {
    return { name, ok: false, reason: describeError(err) };
  }
}

function reply(
  res: ServerResponse,
  code: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
