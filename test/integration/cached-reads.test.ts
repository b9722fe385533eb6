// Reads from the informers' caches, on a private control plane with an audit log (issue #14, "converged means
// silent"): the operator's resync of a converged mesh sends no request of any kind, and the cached client reads
// its own writes before the watch has reported them, without asking the API server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meshConfigCrd } from '../../src/api/index.ts';
import { connect } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { createOperator } from '../../src/operator/index.ts';
import { meshType } from '../../src/reconcile/index.ts';
import { CachedObjectClient, createMetrics, silentLogger } from '../../src/runtime/index.ts';
import type { Manager } from '../../src/runtime/index.ts';
import { ObjectStore } from '../../src/runtime/object-store.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { auditMark, auditSince } from '../support/audit-log.ts';
import type { AuditEvent } from '../support/audit-log.ts';
import { eventually } from '../support/eventually.ts';
import { meshReady } from '../support/real-mesh.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';

const configMapType = { apiVersion: 'v1', kind: 'ConfigMap' };
const managed = { 'app.kubernetes.io/managed-by': 'meshop' };

describe('reads from the informer caches', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  const by = (agent: string, mark: number): AuditEvent[] =>
    auditSince(cluster.auditLogPath ?? '', mark).filter((e) => e.userAgent === agent);

  before(async () => {
    cluster = await startCluster({ nodes: 1, auditLog: true });
    kube = cluster.client();
  });
  after(async () => {
    await cluster.stop();
  });

  it('resyncs a converged mesh without a single API request', async () => {
    // GIVEN the operator, resyncing every second, with its own user agent so the audit log tells its requests
    await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { fieldManager: 'test', force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    const agent = 'meshop-resync-test';
    const metrics = createMetrics();
    let manager: Manager | undefined;
    let stopped: Promise<void> | undefined;
    try {
      manager = await createOperator({
        kube: connect({ file: cluster.kubeconfigPath }, { userAgent: agent }),
        artifactsRoot,
        logger: silentLogger(),
        resyncMs: 1000,
        metrics,
      });
      stopped = manager.start();
      // AND a demo mesh (istiod, gateways, addons) installed to Ready
      await kube.objects.apply(
        { ...meshType, metadata: { name: 'quiet' }, spec: { profile: 'demo' } },
        { fieldManager: 'test' },
      );
      await meshReady(kube, 'quiet', 180_000);
      const reconciles = async (): Promise<number> => {
        const family = await metrics.registry.getSingleMetric('controller_runtime_reconcile_total')?.get();
        return (family?.values ?? []).reduce((sum, v) => sum + v.value, 0);
      };
      // Converged: a whole resync during which nothing was sent.
      const requests = (mark: number) =>
        by(agent, mark)
          .filter((e) => e.verb !== 'watch')
          .map((e) => `${e.verb} ${e.requestURI}`);
      let last: string[] = [];
      try {
        await eventually(
          'a resync that sends nothing',
          async () => {
            const before = await reconciles();
            const mark = auditMark(cluster.auditLogPath ?? '');
            await new Promise((r) => setTimeout(r, 1500));
            last = requests(mark);
            return (await reconciles()) > before && last.length === 0;
          },
          120_000,
        );
      } catch (err) {
        assert.deepEqual(last, [], String(err));
      }
      // WHEN three more resyncs pass
      const mark = auditMark(cluster.auditLogPath ?? '');
      const start = await reconciles();
      await eventually('three resyncs', async () => (await reconciles()) >= start + 3, 30_000);
      // THEN the operator sent nothing: no get, no list, no write (watches it keeps open are not requests made
      // by a reconcile)
      assert.deepEqual(requests(mark), []);
    } finally {
      manager?.stop();
      await stopped;
    }
  });

  it("reads its own write before the watch reports it, and the cache's copy once it has", async () => {
    // GIVEN a cached client over a cache the test feeds by hand (a watch that lags as far as we like)
    const agent = 'meshop-cache-test';
    const raw = connect({ file: cluster.kubeconfigPath }, { userAgent: agent });
    const cached = new CachedObjectClient(raw.transport);
    const store = new ObjectStore();
    const changed: ((o: KubeObject) => void)[] = [];
    cached.cover({
      type: configMapType,
      store,
      hasSynced: () => true,
      onChange: (h) => changed.push(h),
      onDelete: () => undefined,
      labelSelector: 'app.kubernetes.io/managed-by=meshop',
    });
    const watchDelivers = (o: KubeObject) => {
      store.set(o);
      for (const h of changed) h(o);
    };
    const ref = { ...configMapType, namespace: 'default', name: 'cached' };
    const meta = { namespace: ref.namespace, name: ref.name, labels: managed };
    const v1 = await raw.objects.create({
      ...configMapType,
      metadata: meta,
      data: { v: '1' },
    });
    watchDelivers(v1);
    // WHEN it writes a new version that the watch has not reported yet
    const mark = auditMark(cluster.auditLogPath ?? '');
    const v2 = await cached.apply(
      { ...configMapType, metadata: meta, data: { v: '2' } },
      { fieldManager: 'test', force: true },
    );
    // THEN it reads that write, from memory, for get and list alike
    const data = (o: KubeObject | undefined) => (o as { data?: { v?: string } } | undefined)?.data?.v;
    assert.equal(data(await cached.find(ref)), '2');
    const listed = await cached.list(configMapType, { labelSelector: 'app.kubernetes.io/managed-by=meshop' });
    assert.deepEqual(listed.items.map(data), ['2']);
    // AND an older event arriving late does not bring the old version back
    watchDelivers(v1);
    assert.equal(data(await cached.find(ref)), '2');
    // AND once the watch reports the write, the cache answers (a later change by someone else is seen)
    watchDelivers(v2);
    const v3 = await raw.objects.mergePatch(ref, { data: { v: '3' } });
    watchDelivers(v3);
    assert.equal(data(await cached.find(ref)), '3');
    // AND none of those reads reached the API server: only the two writes did (besides the client's first
    // discovery of the v1 API, which every client does once)
    assert.deepEqual(
      by(agent, mark)
        .filter((e) => e.requestURI.includes('/configmaps'))
        .map((e) => e.verb),
      ['patch', 'patch'],
    );
    // WHEN a read is one the cache cannot answer exactly
    const mark2 = auditMark(cluster.auditLogPath ?? '');
    assert.equal(await cached.find({ ...ref, name: 'unlabelled-maybe' }), undefined);
    await cached.list(configMapType, { labelSelector: 'v=3' });
    // THEN it asks the API server: a labelled cache cannot say an unlabelled object is absent, and a selector
    // without the cache's own term may select objects the cache never holds
    assert.deepEqual(
      by(agent, mark2).map((e) => `${e.verb} ${e.requestURI.split('?')[0] ?? ''}`),
      ['get /api/v1/namespaces/default/configmaps/unlabelled-maybe', 'list /api/v1/configmaps'],
    );
  });
});
