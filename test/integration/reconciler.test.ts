// The MeshConfig reconciler on the real API server (KWOK makes the Deployments Available): install to Ready,
// zero writes once converged, drift repair, user annotations kept, invalid spec refused without touching the
// mesh, a disabled gateway pruned, and teardown that keeps the CRDs and users' Istio config.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeClient, KubeObject, ObjectClient } from '../../src/kube/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import { meshRef, meshType, reconcileMesh } from '../../src/reconcile/index.ts';
import type { ReconcilerDeps } from '../../src/reconcile/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { countingClient } from '../support/counting-client.ts';
import { eventually } from '../support/eventually.ts';
import { uniqueName } from '../support/names.ts';
import { meshConfigCrd } from '../../src/api/index.ts';
import { reconcilerDeps } from '../support/reconciler-deps.ts';

const crd = meshConfigCrd() as unknown as KubeObject;
const deps = (client: ObjectClient): ReconcilerDeps => reconcilerDeps(client);

const condition = (mesh: MeshObject | undefined, type: string) =>
  mesh?.status?.conditions?.find((c) => c.type === type);

describe('the MeshConfig reconciler', () => {
  let cluster: Cluster;
  let kube: KubeClient;
  const name = uniqueName('mesh');
  const namespace = uniqueName('mesh-system');
  const spec = { profile: 'demo', namespace, values: { global: { istioNamespace: namespace } } };

  const getMesh = (): Promise<MeshObject | undefined> => kube.objects.find<MeshObject>(meshRef(name));
  const istiod = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'istiod' };

  /** The mesh's Reconciled condition says Conflict, with a message matching `pattern`. */
  async function assertConflict(mesh: string, pattern: string): Promise<void> {
    const refused = condition(await kube.objects.find<MeshObject>(meshRef(mesh)), 'Reconciled');
    assert.ok(refused);
    assert.equal(refused.reason, 'Conflict');
    assert.match(refused.message, new RegExp(pattern));
  }

  /** Deletes a MeshConfig and reconciles it until its teardown has let it go. */
  async function deleteMesh(mesh: string): Promise<void> {
    await kube.objects.delete(meshRef(mesh));
    await eventually(
      `${mesh} gone`,
      async () => (
        await reconcileMesh(deps(kube.objects), mesh).catch(() => undefined),
        (await kube.objects.find(meshRef(mesh))) === undefined
      ),
      60_000,
    );
  }

  async function reconcileUntil(what: string, done: () => Promise<boolean>): Promise<void> {
    await eventually(what, async () => (await reconcileMesh(deps(kube.objects), name), done()), 120_000);
  }

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    await kube.objects.apply(crd, { fieldManager: 'meshop-test', force: true });
    await eventually(
      'MeshConfig served',
      async () => (await kube.objects.list(meshRef(name))).items.length >= 0,
      30_000,
    );
  });
  after(async () => {
    await cluster.stop();
  });

  it('installs the demo profile until Ready, every Deployment rolled out', async () => {
    await kube.objects.apply({ ...meshType, metadata: { name }, spec }, { fieldManager: 'meshop-test' });
    await reconcileUntil('mesh Ready', async () => condition(await getMesh(), 'Ready')?.status === 'True');
    const mesh = await getMesh();
    assert.equal(condition(mesh, 'Reconciled')?.status, 'True');
    assert.ok(mesh?.status?.components?.every((c) => c.phase === 'Healthy'));
    assert.ok(mesh?.metadata.finalizers?.includes('meshop.dev/teardown'));
    const deployments = (
      await kube.objects.list({ apiVersion: 'apps/v1', kind: 'Deployment' }, { namespace })
    ).items;
    assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), [
      'istio-egressgateway',
      'istio-ingressgateway',
      'istiod',
    ]);
  });

  it('records what it applied in its inventory, and prunes nothing that only carries a copy of its labels', async () => {
    const inventory = (await getMesh())?.status?.inventory ?? [];
    assert.ok(inventory.includes(`Deployment ${namespace}/istiod`), inventory.join('\n'));
    assert.ok(!inventory.some((ref) => ref.startsWith('CustomResourceDefinition ')));
    // GIVEN a user's ConfigMap with the mesh's labels copied onto it
    const copy = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'copied-labels' };
    const labels = {
      'app.kubernetes.io/managed-by': 'meshop',
      'meshop.dev/mesh': name,
      'meshop.dev/component': 'pilot',
    };
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: copy.name, namespace, labels },
        data: { a: 'b' },
      },
      { fieldManager: 'kubectl' },
    );
    // WHEN the mesh is reconciled (its prune runs: the mesh is ready)
    await reconcileMesh(deps(kube.objects), name);
    // THEN the ConfigMap is still there: it is in no inventory
    assert.ok(await kube.objects.find(copy));
    await kube.objects.delete(copy);
  });

  it('writes nothing at all when the mesh is converged', async () => {
    const counting = countingClient(kube.objects);
    const result = await reconcileMesh(deps(counting.client), name);
    assert.deepEqual(counting.writes, []);
    assert.equal(result.requeueAfterMs, undefined);
  });

  it('refuses a second MeshConfig for the same control plane, changing nothing of the first', async () => {
    const rival = uniqueName('rival');
    const istiodBefore = await kube.objects.get(istiod);
    await kube.objects.apply(
      { ...meshType, metadata: { name: rival }, spec },
      { fieldManager: 'meshop-test' },
    );
    await reconcileMesh(deps(kube.objects), rival);
    const refused = condition(await kube.objects.find<MeshObject>(meshRef(rival)), 'Reconciled');
    assert.equal(refused?.reason, 'Conflict');
    assert.equal(
      (await kube.objects.get(istiod)).metadata.resourceVersion,
      istiodBefore.metadata.resourceVersion,
    );
    // Its teardown owns nothing, so it removes nothing of the first mesh.
    await deleteMesh(rival);
    assert.equal((await kube.objects.get(istiod)).metadata.uid, istiodBefore.metadata.uid);
  });

  it("recreates istiod's Deployment when it is deleted", async () => {
    await kube.objects.delete(istiod);
    await reconcileUntil('istiod back and Ready', async () => {
      const d = await kube.objects.find(istiod);
      return d !== undefined && condition(await getMesh(), 'Ready')?.status === 'True';
    });
  });

  it('reverts an edited managed field and keeps an annotation a user added', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'istio' };
    await kube.objects.mergePatch(cm, {
      data: { mesh: 'edited: true' },
      metadata: { annotations: { 'team.example/owner': 'sre' } },
    });
    await reconcileMesh(deps(kube.objects), name);
    const after = await kube.objects.get(cm);
    assert.notEqual((after.data as Record<string, string>).mesh, 'edited: true');
    assert.equal(after.metadata.annotations?.['team.example/owner'], 'sre');
  });

  /** A spec whose only setting patches istiod's Deployment. */
  const istiodOverlay = (patches: { path: string; value: unknown }[]): Record<string, unknown> => ({
    components: { pilot: { k8s: { overlays: [{ kind: 'Deployment', name: 'istiod', patches }] } } },
  });

  // Each passes the CRD's schema; the release's definitions or the render refuse it.
  const invalidSpecs: [string, Record<string, unknown>, RegExp][] = [
    [
      'an overlay path that cannot apply',
      istiodOverlay([{ path: 'spec.template.spec.containers.[name:nope].args[0]', value: 'x' }]),
      /components\.pilot\.k8s\.overlays/,
    ],
    [
      'a misspelt values key',
      { values: { pilot: { autoscaleEnabeld: false } } },
      /spec\.values\.pilot\.autoscaleEnabeld: unknown field \(did you mean "autoscaleEnabled"\?\)/,
    ],
    [
      'an image from a registry the operator does not allow',
      { hub: 'evil.example/istio' },
      /images from registries the operator does not allow .*Deployment \S+\/istiod spec\.template\.spec\.containers\[discovery\]\.image: evil\.example\/istio\/pilot/,
    ],
    [
      "a host path and a container added to istiod's pod by an overlay",
      istiodOverlay([
        { path: 'spec.template.spec.volumes[-1]', value: { name: 'node', hostPath: { path: '/' } } },
        {
          path: 'spec.template.spec.containers[-1]',
          value: { name: 'extra', image: 'docker.io/istio/pilot:1.31.0' },
        },
      ]),
      /grant pods more than the release renders .*Deployment \S+\/istiod: volume node hostPath \/; Deployment \S+\/istiod: container extra/,
    ],
    [
      'a mistyped meshConfig field',
      { meshConfig: { enableTracing: 'yes' } },
      /spec\.meshConfig\.enableTracing: must be true or false/,
    ],
  ];
  for (const [what, change, reported] of invalidSpecs) {
    it(`refuses ${what}, naming the field, and changes nothing`, async () => {
      const before = await kube.objects.get(istiod);
      await kube.objects.apply(
        { ...meshType, metadata: { name }, spec: { ...spec, ...change } },
        { fieldManager: 'meshop-test' },
      );
      const counting = countingClient(kube.objects);
      await reconcileMesh(deps(counting.client), name);
      assert.deepEqual(
        counting.writes.map((w) => w.split(' ')[0]),
        ['patchStatus'],
      );
      const reconciled = condition(await getMesh(), 'Reconciled');
      assert.ok(reconciled);
      assert.equal(reconciled.reason, 'InvalidSpec');
      assert.match(reconciled.message, reported);
      assert.equal(
        (await kube.objects.get(istiod)).metadata.resourceVersion,
        before.metadata.resourceVersion,
      );
    });
  }

  it('refuses workload restarts when the operator was installed without them, and changes nothing', async () => {
    const before = await kube.objects.get(istiod);
    const restarts = { restartWorkloads: { enabled: true } };
    await kube.objects.apply(
      { ...meshType, metadata: { name }, spec: { ...spec, updateStrategy: restarts } },
      { fieldManager: 'meshop-test' },
    );
    const counting = countingClient(kube.objects);
    await reconcileMesh({ ...deps(counting.client), workloadRestarts: false }, name);
    assert.deepEqual(
      counting.writes.map((w) => w.split(' ')[0]),
      ['patchStatus'],
    );
    const reconciled = condition(await getMesh(), 'Reconciled');
    assert.equal(reconciled?.reason, 'InvalidSpec');
    assert.match(
      reconciled.message,
      /spec\.updateStrategy\.restartWorkloads\.enabled: .*--no-workload-restarts/,
    );
    assert.equal((await kube.objects.get(istiod)).metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it("refuses a second MeshConfig that would render the first one's objects, writing nothing", async () => {
    // GIVEN a second mesh for another revision in the same namespace: its gateways and base objects have the
    // first mesh's names
    const second = uniqueName('second');
    await kube.objects.apply(
      { ...meshType, metadata: { name: second }, spec: { ...spec, revision: 'second' } },
      { fieldManager: 'meshop-test' },
    );
    const counting = countingClient(kube.objects);
    await reconcileMesh(deps(counting.client), second).catch(() => undefined);
    // THEN it stops with Conflict naming an object of the first mesh, and only its own status was written
    await assertConflict(
      second,
      `Deployment ${namespace}/istio-ingressgateway \\(owned by MeshConfig ${name}\\)`,
    );
    assert.deepEqual(
      counting.writes.filter((w) => !w.includes(' MeshConfig/')),
      [],
    );
    assert.equal(
      await kube.objects.find({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: 'istiod-second',
      }),
      undefined,
    );
    await deleteMesh(second);
  });

  it('never takes over an object it did not create, until the MeshConfig says to adopt it', async () => {
    // GIVEN a ConfigMap named like the one a mesh renders, written by someone else
    const other = uniqueName('adopt');
    const otherNs = uniqueName('adopt-system');
    const otherSpec = { profile: 'minimal', namespace: otherNs, revision: 'adopt' };
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', namespace: otherNs, name: 'istio-adopt' };
    await kube.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: otherNs } },
      { fieldManager: 'kubectl' },
    );
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: foreign.name, namespace: otherNs },
        data: { mesh: 'mine: true' },
      },
      { fieldManager: 'kubectl' },
    );
    await kube.objects.apply(
      { ...meshType, metadata: { name: other }, spec: otherSpec },
      { fieldManager: 'meshop-test' },
    );
    // WHEN the mesh is reconciled
    await reconcileMesh(deps(kube.objects), other).catch(() => undefined);
    // THEN it stops with Conflict naming the object and its writer; nothing of the mesh was created
    await assertConflict(
      other,
      `ConfigMap ${otherNs}/istio-adopt \\(not created by meshop \\(written by kubectl\\)`,
    );
    assert.equal(((await kube.objects.get(foreign)).data as Record<string, string>).mesh, 'mine: true');
    const istiodAdopt = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: otherNs,
      name: 'istiod-adopt',
    };
    assert.equal(await kube.objects.find(istiodAdopt), undefined);
    // WHEN the MeshConfig is annotated to adopt
    await kube.objects.mergePatch(meshRef(other), {
      metadata: { annotations: { 'meshop.dev/adopt-existing': 'true' } },
    });
    await reconcileMesh(deps(kube.objects), other).catch(() => undefined);
    // THEN the object is the mesh's, and the rest is applied; the pre-existing namespace was left as it was
    const adopted = await kube.objects.get(foreign);
    assert.equal(adopted.metadata.labels?.['meshop.dev/mesh'], other);
    assert.ok(await kube.objects.find(istiodAdopt));
    const ns = await kube.objects.get({ apiVersion: 'v1', kind: 'Namespace', name: otherNs });
    assert.equal(ns.metadata.labels?.['meshop.dev/mesh'], undefined);
    // AND the status records what was taken over, and only that; it stays recorded on the next pass
    const recorded = async () => (await kube.objects.get<MeshObject>(meshRef(other))).status?.adopted;
    assert.deepEqual(await recorded(), [`ConfigMap ${otherNs}/istio-adopt`]);
    await reconcileMesh(deps(kube.objects), other).catch(() => undefined);
    assert.deepEqual(await recorded(), [`ConfigMap ${otherNs}/istio-adopt`]);
    // AND teardown removes what the mesh applied, and leaves the namespace it did not create
    await deleteMesh(other);
    assert.equal(await kube.objects.find(istiodAdopt), undefined);
    assert.ok(await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: otherNs }));
  });

  it('prunes a gateway that is turned off, and nothing else', async () => {
    const withoutEgress = {
      ...spec,
      components: { egressGateways: [{ name: 'istio-egressgateway', enabled: false }] },
    };
    await kube.objects.apply(
      { ...meshType, metadata: { name }, spec: withoutEgress },
      { fieldManager: 'meshop-test' },
    );
    const istiodBefore = await kube.objects.get(istiod);
    const egress = { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'istio-egressgateway' };
    await reconcileUntil('egress gateway gone', async () => (await kube.objects.find(egress)) === undefined);
    const sa = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      namespace,
      name: 'istio-egressgateway-service-account',
    };
    assert.equal(await kube.objects.find(sa), undefined);
    assert.equal((await kube.objects.get(istiod)).metadata.generation, istiodBefore.metadata.generation);
    assert.ok(
      await kube.objects.find({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace,
        name: 'istio-ingressgateway',
      }),
    );
  });

  it("tears down everything it owns on delete, keeping CRDs and a user's VirtualService", async () => {
    const userNs = uniqueName('app');
    await kube.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: userNs } },
      { fieldManager: 'meshop-test' },
    );
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: userNs },
      spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
    };
    await kube.objects.apply(vs, { fieldManager: 'meshop-test' });
    await kube.objects.delete(meshRef(name));
    await reconcileUntil('MeshConfig gone', async () => (await getMesh()) === undefined);
    const left = (
      await kube.objects.list(
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        { labelSelector: `meshop.dev/mesh=${name}` },
      )
    ).items;
    assert.deepEqual(left, []);
    assert.ok(
      await kube.objects.find({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'virtualservices.networking.istio.io',
      }),
    );
    assert.ok(
      await kube.objects.find({
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        namespace: userNs,
        name: 'reviews',
      }),
    );
    await eventually(
      'mesh namespace gone',
      async () =>
        (await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: namespace }))?.metadata
          .deletionTimestamp !== undefined ||
        (await kube.objects.find({ apiVersion: 'v1', kind: 'Namespace', name: namespace })) === undefined,
      60_000,
    );
  });
});
