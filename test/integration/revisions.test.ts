// Revisions on the real API server: InPlace upgrades roll istiod and the gateways; RevisionBased upgrades
// install the new revision beside the old, keep the old while anything uses it and remove it a grace period
// after; tags move; the skew guard and the teardown guard refuse what is unsafe. The reconciler runs in-process;
// upgrades go from the real 1.30.8 to the real 1.31.0, each istiod the release's own pilot-discovery run by the
// pod runner. Only the skew guard's cases need minors that cannot be built here (1.28, 1.29): those come from
// the fixture releases (test/support), which nothing but the guard reads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { meshConfigCrd } from '../../src/api/index.ts';
import { refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { meshRef, meshType, reconcileMesh } from '../../src/reconcile/index.ts';
import type { MeshObject, ReconcilerDeps } from '../../src/reconcile/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { fixtureReleases } from '../support/fixture-releases.ts';
import { matches } from '../support/label-selector.ts';
import type { LabelSelector } from '../support/label-selector.ts';
import { uniqueName } from '../support/names.ts';
import { dropNamespace, withNamespace } from '../support/namespaces.ts';
import { reconcilerDeps } from '../support/reconciler-deps.ts';
import { createPod, proxyImage } from '../support/real-mesh.ts';

const releases = fixtureReleases();
const deploymentType = { apiVersion: 'apps/v1', kind: 'Deployment' };
const mutatingType = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' };
const field = { fieldManager: 'meshop-test' };

interface Harness {
  kube: KubeClient;
  deps: ReconcilerDeps;
}

const condition = (mesh: MeshObject | undefined, type: string) =>
  mesh?.status?.conditions?.find((c) => c.type === type);

function imageOf(d: KubeObject): string {
  const spec = d.spec as { template: { spec: { containers: { image: string }[] } } };
  return spec.template.spec.containers[0]?.image ?? '';
}

/** One MeshConfig of its own (own name, control-plane namespace and revisions), reconciled on demand. */
function meshUnderTest(h: () => Harness, prefix: string) {
  const name = uniqueName(prefix);
  const namespace = uniqueName(`${prefix}-system`);
  const get = async (): Promise<MeshObject | undefined> => h().kube.objects.find<MeshObject>(meshRef(name));
  return {
    name,
    namespace,
    get,
    async apply(spec: Record<string, unknown>, annotations: Record<string, string> = {}): Promise<void> {
      const full = { namespace, values: { global: { istioNamespace: namespace } }, ...spec };
      await h().kube.objects.apply({ ...meshType, metadata: { name, annotations }, spec: full }, field);
    },
    async reconcile(): Promise<void> {
      await reconcileMesh(h().deps, name);
    },
    async until(
      what: string,
      done: (mesh: MeshObject | undefined) => boolean | Promise<boolean>,
    ): Promise<void> {
      await eventually(what, async () => (await reconcileMesh(h().deps, name), done(await get())), 120_000);
    },
    async istiods(): Promise<KubeObject[]> {
      return (await h().kube.objects.list(deploymentType, { namespace, labelSelector: 'app=istiod' })).items;
    },
    async remove(): Promise<void> {
      await h().kube.objects.delete(meshRef(name));
      await eventually(
        'mesh gone',
        async () => (await reconcileMesh(h().deps, name), !(await get())),
        120_000,
      );
    },
  };
}

interface InjectorWebhook {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  clientConfig: { service?: { name: string } };
}

const ready = (m: MeshObject | undefined): boolean => condition(m, 'Ready')?.status === 'True';

type TestMesh = ReturnType<typeof meshUnderTest>;

const active = (m: MeshObject | undefined): string | undefined => m?.status?.activeRevision;

async function revisionsReady(mesh: TestMesh): Promise<string | undefined> {
  return (await mesh.get())?.status?.revisionsReady;
}

async function revisionStatus(mesh: TestMesh, revision: string) {
  return (await mesh.get())?.status?.revisions?.find((r) => r.name === revision);
}

describe('revisions and upgrades', () => {
  let cluster: Cluster;
  let harness: Harness;
  const h = (): Harness => harness;

  before(async () => {
    cluster = await sharedCluster();
    const kube = cluster.client();
    await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, { ...field, force: true });
    await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
    harness = {
      kube,
      deps: reconcilerDeps(kube.objects, releases),
    };
  });
  after(async () => {
    await cluster.stop();
  });

  /** Every injector webhook of the mesh, with its selectors and the istiod Service it calls. */
  async function meshInjectors(mesh: string) {
    const configs = await harness.kube.objects.list(mutatingType, {
      labelSelector: `meshop.dev/mesh=${mesh}`,
    });
    return configs.items.flatMap((c) =>
      ((c as { webhooks?: InjectorWebhook[] }).webhooks ?? []).map((w) => ({
        namespaceSelector: w.namespaceSelector,
        objectSelector: w.objectSelector,
        service: w.clientConfig.service?.name ?? 'url',
      })),
    );
  }

  /** The istiod Services a tag's injector webhooks call (one per distinct target). */
  async function tagTargets(tag: string, namespace: string): Promise<string[]> {
    // Outside istio-system, Istio suffixes cluster-scoped names with the namespace.
    const name = `istio-revision-tag-${tag}-${namespace}`;
    const config = await harness.kube.objects.get({ ...mutatingType, name });
    const hooks =
      (config as { webhooks?: { clientConfig: { service?: { name: string } } }[] }).webhooks ?? [];
    return [...new Set(hooks.map((w) => w.clientConfig.service?.name ?? 'url'))];
  }

  it('InPlace: a version change rolls istiod and the gateways in place, same revision', async () => {
    const mesh = meshUnderTest(h, 'inplace');
    const gateways = { ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }] };
    await mesh.apply({ profile: 'minimal', version: '1.30.8', components: gateways });
    await mesh.until('1.30 Ready', ready);
    const [before] = await mesh.istiods();
    assert.ok(before);
    assert.match(imageOf(before), /:1\.30\.8$/);
    // A workload injected by the real 1.30.8 istiod.
    const app = await withNamespace(harness.kube, 'inplace-app', { 'istio-injection': 'enabled' });
    const old = await createPod(harness.kube, app, 'before');
    assert.equal(proxyImage(old), 'docker.io/istio/proxyv2:1.30.8');

    await mesh.apply({ profile: 'minimal', version: '1.31.0', components: gateways });
    await mesh.until('1.31 Ready', (m) => ready(m) && m?.status?.revisions?.[0]?.version === '1.31.0');
    // The injected pod stays (nothing restarts it in place); a new one gets the 1.31.0 proxy from the new istiod.
    assert.ok(await harness.kube.objects.find(refOf(old)));
    assert.equal(proxyImage(await createPod(harness.kube, app, 'after')), 'docker.io/istio/proxyv2:1.31.0');
    await dropNamespace(harness.kube, app);
    const istiods = await mesh.istiods();
    assert.equal(istiods.length, 1, 'still one istiod');
    assert.equal(istiods[0]?.metadata.uid, before.metadata.uid, 'the same Deployment, updated');
    assert.match(imageOf(istiods[0] ?? before), /:1\.31\.0$/);
    const gateway = await harness.kube.objects.get({
      ...deploymentType,
      namespace: mesh.namespace,
      name: 'istio-ingressgateway',
    });
    const template = (gateway.spec as { template: { metadata: { annotations: Record<string, string> } } })
      .template;
    assert.equal(template.metadata.annotations['meshop.dev/istio-version'], '1.31.0', 'gateway rolled');
    const status = (await mesh.get())?.status;
    assert.equal(status?.activeRevision, 'default');
    assert.deepEqual(
      status.revisions?.map((r) => [r.name, r.version, r.ready]),
      [['default', '1.31.0', true]],
    );
    await mesh.remove();
  });

  it('RevisionBased: the new revision comes up beside the old, which stays while used, then goes', async () => {
    const mesh = meshUnderTest(h, 'canary');
    const [oldRev, newRev] = [`${mesh.name}-1-30-8`, `${mesh.name}-1-31-0`];
    const spec = (version: string) => ({
      profile: 'minimal',
      version,
      updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 2 },
      revisionTags: { [`${mesh.name}-stable`]: 'active' },
    });
    await mesh.apply(spec('1.30.8'));
    await mesh.until('old revision Ready', ready);
    const app = await withNamespace(harness.kube, 'app', { 'istio.io/rev': oldRev });

    await mesh.apply(spec('1.31.0'));
    await mesh.until('new revision Ready', (m) => ready(m) && active(m) === newRev);
    const names = (await mesh.istiods()).map((d) => d.metadata.name);
    assert.deepEqual(names, [`istiod-${oldRev}`, `istiod-${newRev}`].sort());
    const old = await revisionStatus(mesh, oldRev);
    assert.equal(old?.inUse?.status, 'True');
    assert.deepEqual(old.inUse.namespaces, [app]);
    assert.equal(await revisionsReady(mesh), '2/2');
    // The tag moved to the new revision: its injector calls the new istiod.
    assert.deepEqual(await tagTargets(`${mesh.name}-stable`, mesh.namespace), [`istiod-${newRev}`]);

    // Still in use: several passes later the old revision is still there.
    for (let i = 0; i < 3; i++) await mesh.reconcile();
    assert.equal((await mesh.istiods()).length, 2);

    // The namespace moves; after the grace period (2 s) the old revision goes, and only then.
    await harness.kube.objects.mergePatch(
      { apiVersion: 'v1', kind: 'Namespace', name: app },
      { metadata: { labels: { 'istio.io/rev': newRev } } },
    );
    await mesh.reconcile();
    assert.equal((await revisionStatus(mesh, oldRev))?.inUse?.status, 'False');
    assert.equal((await mesh.istiods()).length, 2, 'kept during the grace period');
    await mesh.until('old revision removed', async () => (await mesh.istiods()).length === 1);
    const left = await harness.kube.objects.list(
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
      { labelSelector: `meshop.dev/revision=${oldRev}` },
    );
    assert.deepEqual(left.items, [], "the old revision's cluster roles went with it");
    assert.deepEqual((await revisionStatus(mesh, newRev))?.name, newRev);
    assert.equal(await revisionsReady(mesh), '1/1');
    await dropNamespace(harness.kube, app);
    await mesh.remove();
  });

  it('default tag: takes istio-injection over from an unrevisioned install; one injector per namespace', async () => {
    const mesh = meshUnderTest(h, 'takeover');
    await mesh.apply({ profile: 'minimal', version: '1.30.8' });
    await mesh.until('unrevisioned Ready', ready);
    const newRev = `${mesh.name}-1-31-0`;
    const strategy = { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 3600 };
    await mesh.apply({ profile: 'minimal', updateStrategy: strategy, revisionTags: { default: 'active' } });
    await mesh.until('revisioned Ready', (m) => ready(m) && active(m) === newRev);
    assert.equal((await mesh.istiods()).length, 2, 'the unrevisioned istiod stays (grace period)');

    const injectors = await meshInjectors(mesh.name);
    const namespaces: Record<string, string>[] = [
      { 'istio-injection': 'enabled' },
      { 'istio.io/rev': 'default' },
      { 'istio.io/rev': newRev },
    ];
    for (const labels of namespaces) {
      const sentTo = injectors.filter(
        (w) => matches(w.namespaceSelector, labels) && matches(w.objectSelector, {}),
      );
      assert.deepEqual(
        sentTo.map((w) => w.service),
        [`istiod-${newRev}`],
        `exactly one injector, the new revision's, for a namespace labelled ${JSON.stringify(labels)}`,
      );
    }
    const unlabelled = injectors.filter(
      (w) => matches(w.namespaceSelector, {}) && matches(w.objectSelector, {}),
    );
    assert.deepEqual(unlabelled, [], 'an unlabelled namespace is not injected');
    await mesh.remove();
  });

  it('adopts a tag webhook that istioctl tag set made, instead of fighting it', async () => {
    const mesh = meshUnderTest(h, 'adopt');
    const rev = `${mesh.name}-rev`;
    const name = `istio-revision-tag-prod-${mesh.namespace}`;
    // What `istioctl tag set prod --revision <rev>` leaves: same name and istio.io/tag label, its own field manager.
    await harness.kube.objects.apply(
      {
        ...mutatingType,
        metadata: { name, labels: { 'istio.io/tag': 'prod', 'istio.io/rev': rev } },
        webhooks: [],
      },
      { fieldManager: 'istioctl' },
    );
    await mesh.apply({ profile: 'minimal', revision: rev, revisionTags: { prod: rev } });
    await mesh.until('Ready', ready);
    const adopted = await harness.kube.objects.get({ ...mutatingType, name });
    assert.equal(adopted.metadata.labels?.['meshop.dev/mesh'], mesh.name, 'now owned by the mesh');
    assert.deepEqual(await tagTargets('prod', mesh.namespace), [`istiod-${rev}`]);
    await mesh.remove();
    assert.equal(
      await harness.kube.objects.find({ ...mutatingType, name }),
      undefined,
      'removed with the mesh',
    );
  });

  it('refuses a jump of two minors and a downgrade, touching nothing, unless the annotation allows it', async () => {
    const mesh = meshUnderTest(h, 'skew');
    await mesh.apply({ profile: 'minimal', version: '1.29.0' });
    await mesh.until('Ready', ready);
    const [istiod] = await mesh.istiods();
    for (const version of ['1.31.0', '1.28.0', '9.9.9']) {
      await mesh.apply({ profile: 'minimal', version });
      await mesh.reconcile();
      const reconciled = condition(await mesh.get(), 'Reconciled');
      assert.equal(reconciled?.status, 'False', version);
      assert.equal(reconciled.reason, 'VersionSkew', version);
      assert.equal(condition(await mesh.get(), 'Ready')?.status, 'True', 'the running mesh is still Ready');
      const [now] = await mesh.istiods();
      assert.equal(now?.metadata.resourceVersion, istiod?.metadata.resourceVersion, `${version}: untouched`);
    }
    assert.match(condition(await mesh.get(), 'Reconciled')?.message ?? '', /unknown Istio version 9\.9\.9/);
    await mesh.apply({ profile: 'minimal', version: '1.31.0' }, { 'meshop.dev/allow-version-skew': 'true' });
    await mesh.until('overridden', (m) => ready(m) && m?.status?.revisions?.[0]?.version === '1.31.0');
    await mesh.remove();
  });

  it('refuses a tag named like one of its revisions', async () => {
    const mesh = meshUnderTest(h, 'tagname');
    const rev = `${mesh.name}-1-30-0`;
    await mesh.apply({
      profile: 'minimal',
      version: '1.30.0',
      updateStrategy: { type: 'RevisionBased' },
      revisionTags: { [rev]: 'active' },
    });
    await mesh.reconcile();
    const reconciled = condition(await mesh.get(), 'Reconciled');
    assert.equal(reconciled?.reason, 'TagNamedLikeRevision');
    assert.match(reconciled.message, new RegExp(`spec\\.revisionTags\\.${rev}`));
    assert.deepEqual(await mesh.istiods(), [], 'nothing installed');
    await mesh.remove();
  });

  it('does not tear down a control plane a namespace still uses, unless forced', async () => {
    const mesh = meshUnderTest(h, 'blocked');
    const rev = `${mesh.name}-rev`;
    await mesh.apply({ profile: 'minimal', revision: rev });
    await mesh.until('Ready', ready);
    const app = await withNamespace(harness.kube, 'held', { 'istio.io/rev': rev });
    await harness.kube.objects.delete(meshRef(mesh.name));
    await mesh.until('teardown blocked', (m) => condition(m, 'Reconciled')?.reason === 'TeardownBlocked');
    assert.match(condition(await mesh.get(), 'Reconciled')?.message ?? '', new RegExp(`namespaces ${app}`));
    for (let i = 0; i < 3; i++) await mesh.reconcile();
    assert.equal((await mesh.istiods()).length, 1, 'istiod still serves the namespace');

    await harness.kube.objects.mergePatch(meshRef(mesh.name), { spec: { teardown: { force: true } } });
    await mesh.until(
      'forced teardown done',
      async (m) => m === undefined && (await mesh.istiods()).length === 0,
    );
    await dropNamespace(harness.kube, app);
  });
});
