// Rendered pods pull only from allowed registries: by default the catalogued releases' and the addons', or the
// list the installer gives the operator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderInstaller } from '../../../src/installer/index.ts';
import { renderMesh } from '../../../src/render/index.ts';
import {
  defaultAllowedRegistries,
  disallowedImages,
  qualifiedImage,
} from '../../../src/reconcile/image-policy.ts';
import { testRelease } from '../../support/render-fixtures.ts';

function render(spec: Record<string, unknown>) {
  const { release, artifacts } = testRelease();
  return renderMesh({ name: 'm', spec: spec as never }, release, artifacts).objects;
}

describe('image registries', () => {
  it('qualifies Docker Hub short names as the kubelet does', () => {
    assert.equal(qualifiedImage('busybox:1'), 'docker.io/library/busybox:1');
    assert.equal(qualifiedImage('grafana/grafana:12'), 'docker.io/grafana/grafana:12');
    assert.equal(qualifiedImage('quay.io/kiali/kiali:v2'), 'quay.io/kiali/kiali:v2');
    assert.equal(qualifiedImage('localhost:5000/x:1'), 'localhost:5000/x:1');
  });

  it('allows every image of the demo profile with all addons by default', () => {
    const objects = render({
      profile: 'demo',
      components: { cni: { enabled: true } },
      addons: {
        prometheus: { enabled: true },
        grafana: { enabled: true },
        kiali: { enabled: true },
        jaeger: { enabled: true },
      },
    });
    assert.ok(
      objects.some((o) => o.kind === 'DaemonSet'),
      'the CNI DaemonSet is rendered',
    );
    assert.deepEqual(disallowedImages(objects, defaultAllowedRegistries()), []);
    assert.ok(defaultAllowedRegistries().includes('docker.io/istio'));
  });

  it('names each image a hub outside the list puts on a pod, with its path', () => {
    const refused = disallowedImages(
      render({ hub: 'evil.example/istio', components: { cni: { enabled: true } } }),
      ['docker.io/istio'],
    );
    assert.ok(
      refused.includes(
        'Deployment istio-system/istiod spec.template.spec.containers[discovery].image: evil.example/istio/pilot:1.31.0',
      ),
      refused.join('\n'),
    );
    assert.ok(refused.some((r) => r.startsWith('DaemonSet istio-system/istio-cni-node ')));
  });

  it('matches whole path segments: docker.io/istio does not allow docker.io/istiox', () => {
    const objects = render({ hub: 'docker.io/istiox' });
    assert.ok(disallowedImages(objects, ['docker.io/istio']).length > 0);
    assert.deepEqual(disallowedImages(objects, ['docker.io/istio', 'docker.io/istiox']), []);
  });

  it('the installer hands its list to the operator', () => {
    const deployment = renderInstaller({ allowedImageRegistries: ['docker.io/istio', 'my.mirror.io'] }).find(
      (o) => o.kind === 'Deployment',
    );
    assert.match(JSON.stringify(deployment), /"--allowed-image-registries=docker\.io\/istio,my\.mirror\.io"/);
    const plain = renderInstaller().find((o) => o.kind === 'Deployment');
    assert.doesNotMatch(JSON.stringify(plain), /allowed-image-registries/);
  });
});
