// GitOps safety with the real istiod: on a converged mesh, istiod patches the webhooks' `caBundle` and
// `failurePolicy` and writes its own state, the operator resyncs every 30 s and sees every such change through
// its informers, and for five minutes meshop sends not one write request (API server audit log, by user agent).
// Five minutes because that is the span a GitOps controller's drift detection is judged over: shorter windows
// would miss a slow fight.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { meshConfigCrd } from '../../src/api/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { createOperator } from '../../src/operator/index.ts';
import { meshType } from '../../src/reconcile/index.ts';
import type { Manager } from '../../src/runtime/index.ts';
import { createMetrics, silentLogger } from '../../src/runtime/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { istiodPrograms } from '../istio/istio-binaries.ts';
import { auditMark, auditSince, isWrite } from '../support/audit-log.ts';
import { eventually } from '../support/eventually.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { applyMesh, meshReady } from '../support/real-mesh.ts';

const quietMs = 5 * 60_000;
describe('GitOps safety with the real istiod', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  let manager: Manager;
  let stopped: Promise<void>;
  const metrics = createMetrics();
  const reconciles = async (): Promise<number> => {
    const family = await metrics.registry.getSingleMetric('controller_runtime_reconcile_total')?.get();
    return (family?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  };

  before(async () => {
    cluster = await startCluster({ nodes: 1, auditLog: true, programs: istiodPrograms() });
    kube = cluster.client();
    await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, {
      fieldManager: 'meshop-test',
      force: true,
    });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    manager = await createOperator({
      kube,
      artifactsRoot,
      logger: silentLogger(),
      resyncMs: 30_000,
      metrics,
    });
    stopped = manager.start();
  });
  after(async () => {
    manager.stop();
    await stopped;
    await cluster.stop();
  });

  it(
    'makes zero writes for five minutes while istiod patches the webhooks it serves',
    { timeout: 12 * 60_000 },
    async () => {
      await applyMesh(kube, 'gitops', { profile: 'demo' });
      await meshReady(kube, 'gitops');
      const file = cluster.auditLogPath ?? '';
      const meshopWrites = (from: number) =>
        auditSince(file, from).filter((e) => isWrite(e) && e.userAgent === 'meshop');
      // Ready is reported while the last status details (gateways becoming Available) may still be written:
      // the window starts once a whole resync period has passed without a meshop write, i.e. converged.
      let mark = auditMark(file);
      await eventually(
        'a resync period with no meshop write',
        async () => {
          await sleep(30_000);
          const quiet = meshopWrites(mark).length === 0;
          mark = auditMark(file);
          return quiet;
        },
        150_000,
      );
      const reconcilesBefore = await reconciles();
      await sleep(quietMs);
      const events = auditSince(file, mark);
      const writesBy = (agent: RegExp) => events.filter((e) => isWrite(e) && agent.test(e.userAgent ?? ''));
      // istiod was alive and writing all along (at least its leader-election renewals)...
      assert.ok(writesBy(/^pilot-discovery/).length > 0, 'istiod wrote during the window');
      // ...and meshop wrote nothing, while it reconciled all along: its resync every 30 s and istiod's patches of
      // the webhooks (events on objects it owns). Its reads come from its informers' caches, so the audit log
      // cannot show it awake: its own reconcile counter does.
      const ours = writesBy(/^meshop$/).map((e) => `${e.verb} ${e.requestURI}`);
      assert.deepEqual(ours, []);
      const during = (await reconciles()) - reconcilesBefore;
      assert.ok(
        during >= quietMs / 30_000 - 1,
        `the operator reconciled during the window (${String(during)} times)`,
      );
    },
  );
});
