// renderMesh as a whole: which components a spec turns on, the ownership labels on every object, apply order,
// k8s settings reaching the workload, revision tags, and errors that name the field they come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { RenderError, renderMesh } from '../../../src/render/index.ts';
import type { ReadonlyJsonObject } from '../../../src/tree/index.ts';
import { testRelease } from '../../support/render-fixtures.ts';

function render(spec: ReadonlyJsonObject, name = 'prod'): KubeObject[] {
  const { release, artifacts } = testRelease();
  return renderMesh({ name, spec }, release, artifacts).objects;
}
const key = (o: KubeObject): string => `${o.kind}/${o.metadata.name ?? ''}`;

describe('renderMesh', () => {
  it('renders the 39 objects of the default profile istioctl renders, plus the namespace and the default validator', () => {
    // GIVEN an empty spec WHEN rendered THEN 15 CRDs + 24 other objects + the Namespace come out
    const objects = render({});
    assert.equal(objects.length, 41);
    assert.equal(objects.filter((o) => o.kind === 'CustomResourceDefinition').length, 15);
    for (const expected of [
      'Namespace/istio-system',
      'Deployment/istiod',
      'Deployment/istio-ingressgateway',
      'MutatingWebhookConfiguration/istio-sidecar-injector',
      'ValidatingWebhookConfiguration/istio-validator-istio-system',
    ]) {
      assert.ok(
        objects.some((o) => key(o) === expected),
        expected,
      );
    }
  });

  it("renders, for every catalogued release, exactly the CRDs the catalog names (the installer's resourceNames)", () => {
    for (const version of knownVersions) {
      const { release, artifacts } = testRelease(version);
      const crds = renderMesh({ name: 'prod', spec: { profile: 'default', version } }, release, artifacts)
        .objects.filter((o) => o.kind === 'CustomResourceDefinition')
        .map((o) => o.metadata.name ?? '')
        .sort();
      assert.deepEqual(crds, [...release.crdNames].sort(), version);
    }
  });

  it('labels every object as meshop-managed, with its mesh and component; the shared CRDs with no mesh', () => {
    for (const o of render({ profile: 'demo', revision: 'canary' })) {
      const labels = o.metadata.labels ?? {};
      assert.equal(labels['app.kubernetes.io/managed-by'], 'meshop', key(o));
      const shared = o.kind === 'CustomResourceDefinition';
      assert.equal(labels['meshop.dev/mesh'], shared ? undefined : 'prod', key(o));
      assert.ok(labels['meshop.dev/component'], key(o));
    }
  });

  it('orders objects so that definitions come first and webhooks last', () => {
    const kinds = render({}).map((o) => o.kind);
    assert.equal(kinds[0], 'CustomResourceDefinition');
    assert.ok(kinds.indexOf('Namespace') < kinds.indexOf('ServiceAccount'));
    assert.ok(kinds.lastIndexOf('Deployment') < kinds.indexOf('MutatingWebhookConfiguration'));
  });

  it("applies a component's k8s settings to its workload", () => {
    const spec = {
      components: { pilot: { k8s: { replicaCount: 3, resources: { requests: { cpu: '1' } } } } },
    };
    const istiod = render(spec).find((o) => key(o) === 'Deployment/istiod') as unknown as {
      spec: { replicas: number; template: { spec: { containers: { resources: unknown }[] } } };
    };
    assert.equal(istiod.spec.replicas, 3);
    // Resources merge into the chart's (strategic merge), as istioctl applies them: the chart's memory request
    // stays, the cpu request is the user's.
    assert.deepEqual(istiod.spec.template.spec.containers[0]?.resources, {
      requests: { cpu: '1', memory: '2048Mi' },
    });
  });

  it('renders an injector per revision tag, pointing at the tagged revision', () => {
    const objects = render({ revision: 'blue', revisionTags: { prod: 'blue' } });
    const tag = objects.find((o) => key(o) === 'MutatingWebhookConfiguration/istio-revision-tag-prod');
    assert.ok(tag, 'tag injector rendered');
    const text = JSON.stringify(tag);
    assert.match(text, /"name":"istiod-blue"/);
    assert.ok(!text.includes('caBundle'), 'istiod owns caBundle');
  });

  it('renders addons only when asked for', () => {
    assert.ok(!render({}).some((o) => o.metadata.name === 'prometheus'));
    const objects = render({ addons: { prometheus: { enabled: true } } });
    assert.ok(objects.some((o) => key(o) === 'Deployment/prometheus'));
  });

  it('names the field of an unknown profile', () => {
    assert.throws(
      () => render({ profile: 'nope' }),
      (err: unknown) => err instanceof RenderError && err.path === 'spec.profile',
    );
  });

  it('refuses two gateways that would be the same object', () => {
    const spec = {
      components: {
        ingressGateways: [{ name: 'gw', enabled: true }],
        egressGateways: [{ name: 'gw', enabled: true }],
      },
    };
    assert.throws(() => render(spec), /two components render .*gw/);
  });

  it('reports an overlay that cannot apply, with the component path', () => {
    const overlays = [
      {
        kind: 'Deployment',
        name: 'istiod',
        patches: [{ path: 'spec.template.spec.containers.[name:nope].args[0]', value: 'x' }],
      },
    ];
    assert.throws(
      () => render({ components: { pilot: { k8s: { overlays } } } }),
      (err: unknown) => err instanceof RenderError && err.message.includes('components.pilot.k8s.overlays'),
    );
  });
});

describe('inventoryKinds', () => {
  it('lists every kind the renderer produces, so prune can find it again', async () => {
    const { inventoryKinds } = await import('../../../src/render/index.ts');
    const listed = new Set(inventoryKinds.map((k) => `${k.apiVersion} ${k.kind}`));
    const specs = [
      { profile: 'demo' },
      { profile: 'ambient' },
      { profile: 'stable' },
      { profile: 'openshift-ambient' },
    ];
    for (const spec of specs) {
      for (const o of render({
        ...spec,
        addons: { prometheus: { enabled: true }, kiali: { enabled: true } },
      })) {
        assert.ok(listed.has(`${o.apiVersion} ${o.kind}`), `${o.apiVersion} ${o.kind}`);
      }
    }
  });
});

describe('overlays never change which object it is or what it grants', () => {
  const refused = (overlay: ReadonlyJsonObject, what: RegExp) => {
    assert.throws(
      () => render({ components: { pilot: { k8s: { overlays: [overlay] } } } }),
      (err: unknown) =>
        err instanceof RenderError &&
        err.message.includes('components.pilot.k8s.overlays') &&
        what.test(err.message),
    );
  };

  it('refuses a whole-metadata patch that renames or moves the object', () => {
    const metadata = { name: 'coredns', namespace: 'kube-system' };
    refused(
      { kind: 'Deployment', name: 'istiod', patches: [{ path: 'metadata', value: metadata }] },
      /may not change metadata\.name/,
    );
  });

  it('refuses a patch that widens the rules of a rendered ClusterRole, even past the API check', () => {
    const role = render({}).find((o) => o.kind === 'ClusterRole' && o.metadata.name?.startsWith('istiod-'));
    assert.ok(role, 'the pilot component renders a ClusterRole');
    const everything = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    refused(
      {
        kind: 'ClusterRole',
        name: role.metadata.name ?? '',
        patches: [{ path: 'rules.[0]', value: everything }],
      },
      /may not change rules/,
    );
  });

  it('still applies an ordinary overlay', () => {
    const overlay = {
      kind: 'Deployment',
      name: 'istiod',
      patches: [{ path: 'metadata.labels.team', value: 'mesh' }],
    };
    const istiod = render({ components: { pilot: { k8s: { overlays: [overlay] } } } }).find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'istiod',
    );
    assert.equal(istiod?.metadata.labels?.team, 'mesh');
  });
});
