// The reconciler when the API server is busy or failing, through a fault-injecting proxy in front of the real API
// server (test/support/fault-proxy.ts): a 429 with Retry-After is waited out as long as asked, a failed list
// stops the reconcile before anything is pruned, failed and timed-out status writes are retried by the next
// reconcile, and the client-side rate limit caps the request rate. The proxy's 429 is the real API server's own:
// a first test makes API Priority and Fairness refuse a request and compares.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { connect, isRetryable, isTransport, loadKubeConfig } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject, TransportOptions } from '../../src/kube/index.ts';
import { meshRef, meshType, reconcileMesh } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { meshConfigCrd } from '../../src/api/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { faultTimes, startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy, ProxiedRequest } from '../support/fault-proxy.ts';
import { uniqueName } from '../support/names.ts';
import { reconcilerDeps } from '../support/reconciler-deps.ts';

const crd = meshConfigCrd() as unknown as KubeObject;
const fieldManager = 'meshop-test';

/** A GET as `user` straight to the API server (impersonated by the admin): status, Retry-After and body. */
async function getAs(
  kubeconfigPath: string,
  user: string,
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  const kube = loadKubeConfig({ file: kubeconfigPath });
  const opts: https.RequestOptions = {};
  await kube.config.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL('/api/v1/namespaces/default', kube.server),
      {
        ...opts,
        headers: { ...(opts.headers as Record<string, string> | undefined), 'impersonate-user': user },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString('utf8')));
        res.on('end', () => {
          const header: string | undefined = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: header, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the reconciler against a busy or failing API server', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let proxy: FaultProxy;
  const name = uniqueName('faults');
  const namespace = uniqueName('faults-system');
  const spec = { profile: 'demo', namespace, values: { global: { istioNamespace: namespace } } };
  const egress = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'istio-egressgateway' };

  const through = (options: TransportOptions = {}): KubeClient =>
    connect({ file: proxy.kubeconfigPath }, options);
  const reconcileThrough = (client: KubeClient) => reconcileMesh(reconcilerDeps(client.objects), name);
  const ready = async (): Promise<boolean> =>
    (await kube.objects.find<MeshObject>(meshRef(name)))?.status?.conditions?.some(
      (c) => c.type === 'Ready' && c.status === 'True',
    ) === true;
  const since = (mark: number): ProxiedRequest[] => proxy.log.slice(mark);

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(crd, { fieldManager, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    proxy = await startFaultProxy(cluster.kubeconfigPath);
  });
  after(async () => {
    proxy.setRule(undefined);
    await kube.objects.delete(meshRef(name)).catch(() => undefined);
    await eventually(
      `${name} torn down`,
      async () => (
        await reconcileMesh(reconcilerDeps(kube.objects), name).catch(() => undefined),
        (await kube.objects.find(meshRef(name))) === undefined
      ),
      60_000,
    );
    await proxy.close();
    await cluster.stop();
  });

  it("gets the real API server's 429: API Priority and Fairness refuses with Retry-After, as the proxy does", async () => {
    const user = uniqueName('refused-user');
    const level = uniqueName('refuse-all');
    // A priority level with no seats of its own and none to borrow, that rejects rather than queues: APF still
    // runs one request at a time there (so nothing starves), and refuses every request that comes meanwhile.
    await kube.objects.apply(
      {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'PriorityLevelConfiguration',
        metadata: { name: level },
        spec: {
          type: 'Limited',
          limited: {
            nominalConcurrencyShares: 0,
            lendablePercent: 0,
            // Unset would mean "borrow without limit" from the other levels.
            borrowingLimitPercent: 0,
            limitResponse: { type: 'Reject' },
          },
        },
      },
      { fieldManager },
    );
    await kube.objects.apply(
      {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: level },
        spec: {
          priorityLevelConfiguration: { name: level },
          matchingPrecedence: 100,
          rules: [
            {
              subjects: [{ kind: 'User', user: { name: user } }],
              resourceRules: [
                { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], clusterScope: true },
              ],
            },
          ],
        },
      },
      { fieldManager },
    );
    try {
      type Answer = Awaited<ReturnType<typeof getAs>>;
      let answer: Answer | undefined;
      await eventually(
        'a request refused while another runs',
        async () => {
          const answers = await Promise.all(
            Array.from({ length: 40 }, () => getAs(cluster.kubeconfigPath, user)),
          );
          answer = answers.find((a) => a.status === 429);
          return answer !== undefined;
        },
        30_000,
      );
      assert.ok(answer);
      assert.match(answer.retryAfter ?? '', /^[0-9]+$/, 'a 429 of the API server says when to come back');
      const status = JSON.parse(answer.body) as { kind: string; code: number };
      assert.equal(status.kind, 'Status');
      assert.equal(status.code, 429);
    } finally {
      await kube.objects.delete({
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        name: level,
      });
      await kube.objects.delete({
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'PriorityLevelConfiguration',
        name: level,
      });
    }
  });

  it('waits out a 429 for as long as Retry-After asks, then installs to Ready', async () => {
    await kube.objects.apply({ ...meshType, metadata: { name }, spec }, { fieldManager });
    const mark = proxy.log.length;
    proxy.setRule(faultTimes((r) => r.method === 'PATCH', 3, { status: 429, retryAfterSeconds: 1 }));
    const client = through();
    await eventually(
      'Ready through the proxy',
      async () => (await reconcileThrough(client), ready()),
      120_000,
    );
    const log = since(mark);
    const refused = log.filter((r) => r.faulted);
    assert.equal(refused.length, 3);
    for (const r of refused) {
      const again = log.find((n) => n.at > r.at && n.method === r.method && n.url === r.url && !n.faulted);
      assert.ok(again, `${r.method} ${r.url} sent again`);
      // A lower bound only: never sooner than the server asked.
      assert.ok(again.at - r.at >= 990, `${r.url} waited ${String(again.at - r.at)} ms`);
    }
  });

  it('prunes nothing when a list fails, and prunes once it succeeds', async () => {
    await kube.objects.apply(
      {
        ...meshType,
        metadata: { name },
        spec: { ...spec, components: { egressGateways: [{ name: 'istio-egressgateway', enabled: false }] } },
      },
      { fieldManager },
    );
    const mark = proxy.log.length;
    // Prune lists every kind before it deletes anything; service accounts are listed last.
    proxy.setRule((r) =>
      r.method === 'GET' && r.url.includes('/serviceaccounts?') ? { status: 500 } : undefined,
    );
    const client = through();
    await assert.rejects(reconcileThrough(client), isRetryable);
    assert.ok(
      since(mark).some((r) => r.faulted),
      'the failing list was asked for',
    );
    assert.deepEqual(
      since(mark).filter((r) => r.method === 'DELETE'),
      [],
    );
    assert.ok(await kube.objects.find(egress), 'the egress gateway is still there');
    proxy.setRule(undefined);
    await eventually(
      'egress gateway pruned',
      async () => (await reconcileThrough(client), (await kube.objects.find(egress)) === undefined),
      120_000,
    );
  });

  it('retries a failed or timed-out status write on the next reconcile', async () => {
    const statusWrite = (r: { method: string; url: string }) =>
      r.method === 'PATCH' && r.url.includes(`/meshconfigs/${name}/status`);
    const respec = (accessLogEncoding: string) =>
      kube.objects.apply(
        { ...meshType, metadata: { name }, spec: { ...spec, meshConfig: { accessLogEncoding } } },
        { fieldManager },
      );
    const client = through({ requestTimeoutMs: 1_000 });
    // A new generation, so the reconcile has a status to write.
    await respec('JSON');
    proxy.setRule(faultTimes(statusWrite, 1, { status: 503 }));
    await assert.rejects(reconcileThrough(client), isRetryable);
    proxy.setRule(faultTimes(statusWrite, 2, { delayMs: 3_000 }));
    await assert.rejects(reconcileThrough(client), (err: unknown) => isTransport(err) && isRetryable(err));
    proxy.setRule(undefined);
    await respec('TEXT');
    // istiod rolls out the changed mesh config first, so Ready may take a few reconciles.
    await eventually(
      'the status written for the new generation, and Ready',
      async () => {
        await reconcileThrough(client);
        const mesh = await kube.objects.find<MeshObject>(meshRef(name));
        return mesh?.status?.observedGeneration === mesh?.metadata.generation && (await ready());
      },
      120_000,
    );
  });

  it('keeps its requests under the client-side rate limit', async () => {
    const limit = { qps: 20, burst: 5 };
    const mark = proxy.log.length;
    await reconcileThrough(through({ rateLimit: limit }));
    const times = since(mark).map((r) => r.at);
    assert.ok(times.length > 2 * limit.burst, `enough requests to meet the limit (${String(times.length)})`);
    // Requests i..j (inclusive) need a token each: the burst plus what refills in between. One token of slack for
    // a request that spent longer on its way to the proxy than the one after it.
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) {
        const allowed = limit.burst + 1 + (limit.qps * ((times[j] ?? 0) - (times[i] ?? 0))) / 1000;
        assert.ok(
          j - i + 1 <= allowed,
          `${String(j - i + 1)} requests in ${String((times[j] ?? 0) - (times[i] ?? 0))} ms`,
        );
      }
    }
  });
});
