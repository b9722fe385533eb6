// What every addon renderer promises: objects in the control-plane namespace labelled with the addon's name,
// pinned images, a workload target that exists, and the same output for the same input without touching it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addonRenderers } from '../../../../src/render/components/addons/index.ts';
import type { AddonName } from '../../../../src/render/components/addons/index.ts';
import { assertPinnedImage, containers, find } from './rendered-objects.ts';
import { deepFrozen, renderContext } from './render-context-builder.ts';

const clusterScoped = new Set(['ClusterRole', 'ClusterRoleBinding']);
const addons = Object.keys(addonRenderers) as AddonName[];

describe('addon renderers', () => {
  it('cover the five addons of the MeshConfig spec', () => {
    assert.deepEqual([...addons].sort(), ['grafana', 'jaeger', 'kiali', 'prometheus', 'zipkin']);
  });

  for (const addon of addons) {
    describe(addon, () => {
      it('puts every namespaced object in the control-plane namespace and labels it app=<addon>', () => {
        // GIVEN a mesh whose control plane lives in a custom namespace
        const ctx = renderContext({ namespace: 'mesh-system' });
        // WHEN the addon renders
        const { objects } = addonRenderers[addon](ctx);
        // THEN each object is where the mesh is, and says which addon it belongs to
        for (const obj of objects) {
          const expected = clusterScoped.has(obj.kind) ? undefined : 'mesh-system';
          assert.equal(obj.metadata.namespace, expected, `${obj.kind} ${obj.metadata.name ?? ''}`);
          assert.equal(obj.metadata.labels?.app, addon, `${obj.kind} ${obj.metadata.name ?? ''}`);
        }
      });

      it('leaves ownership labels to the framework', () => {
        const { objects } = addonRenderers[addon](renderContext());
        for (const obj of objects) {
          const keys = Object.keys(obj.metadata.labels ?? {});
          assert.ok(!keys.some((k) => k.startsWith('meshop.dev/') || k === 'app.kubernetes.io/managed-by'));
        }
      });

      it('names a workload target that is rendered, with its container', () => {
        // GIVEN the default namespace
        const ctx = renderContext();
        // WHEN the addon renders
        const component = addonRenderers[addon](ctx);
        // THEN the component is named for the addon and its k8s settings have somewhere to go
        assert.equal(component.name, addon);
        const target = component.workload;
        assert.ok(target);
        assert.equal(target.kind, 'Deployment');
        assert.equal(target.namespace, 'istio-system');
        find(component, 'Deployment', target.name);
        const names = containers(component, target.name).map((c) => c.name);
        assert.ok(names.includes(target.container), `${target.container} in ${names.join(', ')}`);
      });

      it('runs only fully qualified, pinned images', () => {
        const component = addonRenderers[addon](renderContext());
        const deployments = component.objects.filter((o) => o.kind === 'Deployment');
        assert.ok(deployments.length > 0);
        for (const d of deployments) {
          for (const c of containers(component, d.metadata.name ?? '')) assertPinnedImage(c.image);
        }
      });

      it('renders the same objects twice and never writes into its input', () => {
        // GIVEN a context frozen all the way down
        const ctx = deepFrozen(renderContext({ meshConfig: { enablePrometheusMerge: false } }));
        // (the artifacts carry functions, which structuredClone refuses; they are frozen and compared by reference)
        const before = { ...structuredClone({ ...ctx, artifacts: undefined }), artifacts: ctx.artifacts };
        // WHEN the addon renders twice
        const first = addonRenderers[addon](ctx);
        const second = addonRenderers[addon](ctx);
        // THEN both renders are equal, share no objects, and the context is unchanged
        assert.deepEqual(first, second);
        assert.notEqual(first.objects[0], second.objects[0]);
        assert.deepEqual(ctx, before);
      });
    });
  }
});
