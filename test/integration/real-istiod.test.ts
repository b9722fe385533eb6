// The real istiod of each catalogued release, built from its module and run by the pod runner as the kubelet
// would run it, behind the Services and webhooks meshop rendered: the API server calls it for every Pod and
// every Istio config object. Nothing here is simulated but the nodes.
//
// For each release: a revisioned mesh with a revision tag and the `default` tag. A Pod is injected by the real
// injector when its namespace asks for the revision, the tag or `istio-injection=enabled`, and not otherwise;
// an invalid VirtualService is refused by the real validator (labelled for the revision, and unlabelled through
// the default validator the default tag brings); istiod runs with exactly meshop's RBAC and never logs
// `forbidden`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRelease } from '../../src/catalog/index.ts';
import { ApiError } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { podProxyRevision } from '../../src/revisions/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { istioBinaries } from '../istio/istio-binaries.ts';
import { injectedPodMetadata } from '../support/injected-pod.ts';
import { uniqueName } from '../support/names.ts';
import { dropNamespace, withNamespace } from '../support/namespaces.ts';
import {
  applyMesh,
  containerNames,
  createPod,
  deleteMesh,
  istiodLogs,
  meshReady,
  proxyImage,
  startOperator,
} from '../support/real-mesh.ts';
import type { RunningOperator } from '../support/real-mesh.ts';

const versions = Object.keys(istioBinaries());

function virtualService(namespace: string, name: string, regex: string, labels: Record<string, string>) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace, labels },
    spec: {
      hosts: ['reviews'],
      http: [{ match: [{ uri: { regex } }], route: [{ destination: { host: 'reviews' } }] }],
    },
  };
}

async function refusal(kube: KubeClient, obj: KubeObject): Promise<string> {
  try {
    await kube.objects.create(obj);
  } catch (err) {
    if (err instanceof ApiError) return err.message;
    throw err;
  }
  return '';
}

describe('real istiod', { skip: versions.length === 0 && 'no Istio binaries built (hack/istio.sh)' }, () => {
  let cluster: Cluster;
  let kube: KubeClient;
  let operator: RunningOperator;

  before(async () => {
    cluster = await sharedCluster();
    kube = cluster.client();
    operator = await startOperator(kube);
  });
  after(async () => {
    await operator.stop();
  });

  for (const version of versions) {
    describe(`Istio ${version}`, () => {
      const release = getRelease(version);
      const mesh = uniqueName(`real-${release.minor.replace('.', '-')}`);
      const revision = `${mesh}-rev`;
      const tag = `${mesh}-tag`;
      const istioNamespace = uniqueName('istio');
      const expectedProxy = `${release.hub}/proxyv2:${release.tag}`;
      const namespaces: string[] = [];

      before(async () => {
        await applyMesh(kube, mesh, {
          version,
          profile: 'minimal',
          namespace: istioNamespace,
          revision,
          revisionTags: { [tag]: revision, default: revision },
        });
        await meshReady(kube, mesh);
      });
      after(async () => {
        // The namespaces and their injected pods use the revision: the teardown guard waits for them to go.
        for (const ns of namespaces) await dropNamespace(kube, ns);
        await deleteMesh(kube, mesh);
      });

      const injectedIn = async (labels: Record<string, string>) => {
        const ns = await withNamespace(kube, 'inj', labels);
        namespaces.push(ns);
        return createPod(kube, ns, 'web');
      };

      for (const [what, labels] of [
        ['istio.io/rev=<revision>', () => ({ 'istio.io/rev': revision })],
        ['istio.io/rev=<tag>', () => ({ 'istio.io/rev': tag })],
        ['istio-injection=enabled (the default tag)', () => ({ 'istio-injection': 'enabled' })],
      ] as const) {
        it(`injects a Pod in a namespace labelled ${what}`, async () => {
          // GIVEN a namespace that asks for the mesh's revision; WHEN a Pod is created there
          const pod = await injectedIn(labels());
          // THEN the real injector added the release's proxy and wrote what real injection writes
          assert.deepEqual(containerNames(pod), ['app', 'istio-proxy']);
          assert.equal(proxyImage(pod), expectedProxy);
          assert.equal(pod.metadata.annotations?.['istio.io/rev'], revision);
          assert.equal(podProxyRevision(pod.metadata), revision);
          assert.equal(
            pod.metadata.labels?.['istio.io/rev'],
            undefined,
            'real injection writes no rev label',
          );
        });
      }

      it("writes the same metadata as the unit tests' offline injection (istioctl kube-inject)", async () => {
        // test/support/injected-pod.ts gives pure-logic tests pods injected offline by the release's istioctl
        // from the injector configuration meshop renders; that is the webhook's injection only while both
        // write the same labels and annotations.
        const pod = await injectedIn({ 'istio.io/rev': revision });
        const offline = injectedPodMetadata(
          revision,
          { name: 'web', labels: { app: 'web' } },
          'sidecar',
          version,
        );
        assert.deepEqual(pod.metadata.labels, offline.labels);
        const annotations = { ...pod.metadata.annotations };
        assert.deepEqual(
          JSON.parse(annotations['sidecar.istio.io/status'] ?? 'null'),
          JSON.parse(offline.annotations['sidecar.istio.io/status'] ?? ''),
        );
        // The status is compared as JSON above (key order is not meshop's concern); the rest must be equal.
        const rest = { ...offline.annotations };
        for (const a of [annotations, rest]) delete a['sidecar.istio.io/status'];
        assert.deepEqual(annotations, rest);
      });

      it('leaves a Pod alone in a namespace that asks for no revision', async () => {
        const pod = await injectedIn({});
        assert.deepEqual(containerNames(pod), ['app']);
        assert.equal(podProxyRevision(pod.metadata), undefined);
      });

      it('refuses an invalid VirtualService through the real validator, labelled or not', async () => {
        const ns = await withNamespace(kube, 'cfg');
        namespaces.push(ns);
        const bad = 'a(b';
        // GIVEN config labelled for the revision, and config that names none (the default validator's)
        for (const labels of [{ 'istio.io/rev': revision }, {}]) {
          const message = await refusal(kube, virtualService(ns, uniqueName('bad'), bad, labels));
          assert.match(
            message,
            /denied the request.*regexp/s,
            `refused with labels ${JSON.stringify(labels)}`,
          );
        }
        // AND a valid one is stored
        assert.equal(await refusal(kube, virtualService(ns, 'good', '^/api/.*', {})), '');
      });

      it("istiod ran with meshop's RBAC and was never forbidden", () => {
        const logs = istiodLogs(cluster).filter(
          (l) => l.text.includes(`revision=${revision}`) || l.file.includes(istioNamespace),
        );
        assert.ok(logs.length > 0, `istiod's log for ${istioNamespace} was written`);
        for (const log of logs) {
          const forbidden = log.text.split('\n').filter((line) => /forbidden/i.test(line));
          assert.deepEqual(forbidden, [], `${log.file} shows no forbidden request`);
        }
      });
    });
  }
});
