// The transport's manners towards a busy API server: the client-side rate limit (a token bucket, checked on a
// fake clock), and Retry-After honoured on 429 and 5xx answers (against a loopback HTTP server that answers as
// API Priority and Fairness does: 429 with Retry-After, before acting on the request); the fence a lost lease
// drops (nothing sent after it); and client-go's request metrics.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import {
  ApiError,
  Transport,
  TransportError,
  isTooManyRequests,
  loadKubeConfig,
  retryAfterMs,
} from '../../../src/kube/index.ts';
import type { TransportOptions } from '../../../src/kube/index.ts';
import { TokenBucket } from '../../../src/kube/token-bucket.ts';
import { createMetrics } from '../../../src/runtime/index.ts';
import { eventually } from '../../support/eventually.ts';

interface Answer {
  code: number;
  headers?: Record<string, string>;
}

/** A server that gives `answers` in turn (then 200), recording when each request came. */
async function server(t: TestContext, answers: Answer[]): Promise<{ url: string; times: number[] }> {
  const times: number[] = [];
  const s = http.createServer((_req, res) => {
    times.push(performance.now());
    const answer = answers.shift() ?? { code: 200 };
    res.writeHead(answer.code, { 'content-type': 'application/json', ...answer.headers });
    res.end(
      JSON.stringify(answer.code === 200 ? { kind: 'Namespace' } : { kind: 'Status', code: answer.code }),
    );
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    s.closeAllConnections();
    s.close();
  });
  return { url: `http://127.0.0.1:${String((s.address() as AddressInfo).port)}`, times };
}

function transport(url: string, options: TransportOptions = {}): Transport {
  const dir = mkdtempSync(join(tmpdir(), 'meshop-transport-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return new Transport(loadKubeConfig({ file }), options);
}

const get = { method: 'GET', path: '/api/v1/namespaces/default', what: 'get Namespace default' } as const;

describe('Retry-After', () => {
  it('is read from 429 and 5xx answers only, capped at 30 seconds', () => {
    assert.equal(retryAfterMs(429, '2'), 2000);
    assert.equal(retryAfterMs(503, '0'), 0);
    assert.equal(retryAfterMs(500, 'Wed, 21 Oct 2015 07:28:00 GMT'), 1000);
    assert.equal(retryAfterMs(429, '3600'), 30_000);
    assert.equal(retryAfterMs(429, undefined), undefined);
    assert.equal(retryAfterMs(409, '1'), undefined);
    assert.equal(retryAfterMs(200, '1'), undefined);
  });

  it('makes the transport wait as long as asked, then send again', async (t) => {
    const { url, times } = await server(t, [
      { code: 429, headers: { 'retry-after': '1' } },
      { code: 503, headers: { 'retry-after': '1' } },
    ]);
    assert.deepEqual(await transport(url).json(get), { kind: 'Namespace' });
    assert.equal(times.length, 3);
    // A lower bound only: the transport may never come back sooner than the server asked.
    for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) >= 990);
  });

  it('leaves an answer without Retry-After to the caller at once', async (t) => {
    const { url, times } = await server(t, [{ code: 503 }]);
    await assert.rejects(
      transport(url).json(get),
      (err: unknown) => err instanceof ApiError && err.code === 503,
    );
    assert.equal(times.length, 1);
  });

  it('gives up after ten such answers with the last one as the error', async (t) => {
    const busy = Array.from({ length: 20 }, () => ({ code: 429, headers: { 'retry-after': '0' } }));
    const { url, times } = await server(t, busy);
    await assert.rejects(transport(url).json(get), isTooManyRequests);
    assert.equal(times.length, 11);
  });

  it('ends a wait when the request is aborted, as a transport error', async (t) => {
    const { url, times } = await server(t, [{ code: 429, headers: { 'retry-after': '20' } }]);
    const abort = new AbortController();
    setTimeout(() => {
      abort.abort();
    }, 100);
    await assert.rejects(transport(url).json({ ...get, signal: abort.signal }), TransportError);
    assert.equal(times.length, 1);
  });
});

describe('the client-side rate limit', () => {
  it('lets a burst go at once, then one request per 1/qps seconds, in order', () => {
    let now = 0;
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, () => now);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => bucket.reserve()),
      [0, 0, 0, 100, 200],
    );
    now = 1000; // a quiet second refills the bucket, up to the burst only
    assert.deepEqual(
      [1, 2, 3, 4].map(() => Math.round(bucket.reserve())),
      [0, 0, 0, 100],
    );
  });

  it('is off at qps 0', () => {
    const bucket = new TokenBucket({ qps: 0, burst: 1 }, () => 0);
    assert.deepEqual(
      [1, 2, 3].map(() => bucket.reserve()),
      [0, 0, 0],
    );
  });

  it('spaces the requests a transport sends', async (t) => {
    const { url, times } = await server(t, []);
    const limited = transport(url, { rateLimit: { qps: 10, burst: 1 } });
    await Promise.all([1, 2, 3, 4, 5].map(() => limited.json(get)));
    assert.equal(times.length, 5);
    // Five requests at 10 a second with no burst to spend: 4 × 100 ms from first to last. A slow first request
    // (the connection opened, code compiled) narrows the measured gap, so a whole interval is left as margin.
    const spread = (times[4] ?? 0) - (times[0] ?? 0);
    assert.ok(spread >= 300, `${String(spread)} ms from first to last`);
  });
});

describe('the fence (a lost lease)', () => {
  it('cuts requests in flight, waits included, and sends nothing once aborted', async (t) => {
    // The server answers 429 with a long Retry-After: the request sits in its wait when the fence falls.
    const { url, times } = await server(t, [{ code: 429, headers: { 'retry-after': '30' } }]);
    const fence = new AbortController();
    const tp = transport(url, { fence: fence.signal });
    const waiting = tp.json(get);
    await eventually('the first request answered', () => Promise.resolve(times.length === 1), 2_000);
    fence.abort(new Error('lease lost'));
    await assert.rejects(waiting, TransportError);
    await assert.rejects(tp.json(get), TransportError);
    assert.equal(times.length, 1, 'nothing reached the server after the fence fell');
  });
});

describe("client-go's request metrics", () => {
  it('count every request sent, retries and failures included, under client-go names', async (t) => {
    const { url } = await server(t, [{ code: 429, headers: { 'retry-after': '0' } }]);
    const metrics = createMetrics();
    await transport(url, { observe: metrics.observeRequest }).json(get);
    // Nothing listens on port 1: the request fails before any status.
    await assert.rejects(transport('http://127.0.0.1:1', { observe: metrics.observeRequest }).json(get));
    const text = (await metrics.expose()).body;
    const host = new URL(url).host;
    assert.match(
      text,
      new RegExp(`^rest_client_requests_total\\{code="429",method="GET",host="${host}"\\} 1$`, 'm'),
    );
    assert.match(
      text,
      new RegExp(`^rest_client_requests_total\\{code="200",method="GET",host="${host}"\\} 1$`, 'm'),
    );
    assert.match(
      text,
      /^rest_client_requests_total\{code="<error>",method="GET",host="127\.0\.0\.1:1"\} 1$/m,
    );
    assert.match(
      text,
      new RegExp(`^rest_client_request_duration_seconds_count\\{verb="GET",host="${host}"\\} 2$`, 'm'),
    );
  });
});
