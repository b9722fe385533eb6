// GIVEN a manager whose cache lists from the real API server and which campaigns for a real Lease, THEN its one
// HTTP server answers /healthz at once, /readyz only after the cache synced, /metrics with controller-runtime's
// names, and closes when the manager stops.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeClient } from '../../src/kube/index.ts';
import { LeaderElector } from '../../src/runtime/leader-election.ts';
import { Manager } from '../../src/runtime/manager.ts';
import type { Runnable } from '../../src/runtime/manager.ts';
import { eventually } from '../support/eventually.ts';
import { uniqueName } from '../support/names.ts';
import { useSharedNamespace } from '../support/shared-namespace.ts';

/** A stand-in cache: lists ConfigMaps from the API server once `release()` lets it, then reports synced. */
function gatedCache(kube: KubeClient, namespace: string): Runnable & { release(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let synced = false;
  return {
    name: 'configmap-cache',
    needLeader: false,
    hasSynced: () => synced,
    release: () => {
      open();
    },
    async start(signal) {
      await gate;
      await kube.objects.list({ apiVersion: 'v1', kind: 'ConfigMap' }, { namespace });
      synced = true;
      await new Promise((resolve) => {
        signal.addEventListener('abort', resolve);
      });
    },
  };
}

describe('the health and metrics server', () => {
  const fx = useSharedNamespace('health');
  let kube: KubeClient;
  let ns: string;
  before(() => {
    ({ kube, ns } = fx);
  });

  it('serves probes and metrics for a running manager', { timeout: 60_000 }, async () => {
    // GIVEN a manager with probes and metrics on two loopback addresses (as the operator runs by default), a cache
    // that has not synced, and leader election
    const elector = new LeaderElector(kube.objects, {
      lease: { name: uniqueName('meshop'), namespace: ns },
      identity: 'replica-1',
      leaseDurationMs: 2_000,
      renewDeadlineMs: 1_500,
      retryPeriodMs: 250,
    });
    const mgr = new Manager({
      server: { host: '127.0.0.1', port: 0 },
      metricsServer: { host: '127.0.0.2', port: 0 },
      elector,
      syncPollMs: 10,
    });
    mgr.metrics.controller('meshconfig', 1);
    const cache = gatedCache(kube, ns);
    mgr.add(cache);
    const running = mgr.start();
    await eventually('the server listens', () => Promise.resolve(mgr.serverAddress() !== undefined), 10_000);
    const base = `http://127.0.0.1:${mgr.serverAddress()!.port}`;
    const get = (path: string) => fetch(base + path);
    const metricsBase = `http://127.0.0.2:${String(mgr.metricsAddress()?.port)}`;
    const getMetrics = () => fetch(`${metricsBase}/metrics`);

    // THEN each server answers only its own paths
    assert.equal((await get('/metrics')).status, 404);
    assert.equal((await fetch(`${metricsBase}/healthz`)).status, 404);

    // THEN it is alive but not ready while the cache has not synced
    assert.equal((await get('/healthz')).status, 200);
    const notReady = await get('/readyz');
    assert.equal(notReady.status, 500);
    assert.match(await notReady.text(), /\[-\]caches failed/);
    assert.equal((await get('/nothing-here')).status, 404);

    // WHEN the cache lists from the API server
    cache.release();

    // THEN /readyz flips, and /metrics shows the reconcile counter and, once leading, the leader gauge
    await eventually('ready', async () => (await get('/readyz')).status === 200, 20_000);
    const metrics = await getMetrics();
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await metrics.text();
    assert.match(text, /^controller_runtime_reconcile_total\{controller="meshconfig",result="success"\} 0$/m);
    await eventually(
      'the leader gauge reads 1',
      async () =>
        /^leader_election_master_status\{name="[^"]+"\} 1$/m.test(await (await getMetrics()).text()),
      20_000,
    );

    // WHEN the manager stops, THEN start() resolves and neither server answers
    mgr.stop();
    await running;
    await assert.rejects(get('/healthz'));
    await assert.rejects(getMetrics());
  });
});
