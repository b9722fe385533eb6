// Gateways other than the built-in ones: their own name, namespace, labels and image, as a list entry gives them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deploymentOf,
  envValue,
  includesLabels,
  inventory,
  proxyOf,
  renderFor,
  serviceOf,
} from './gateway-fixtures.ts';

describe('renderGateway: custom entries', () => {
  it('names every object after the entry and puts it in the entry namespace', () => {
    // GIVEN an ingress gateway entry "edge-gw" in namespace "edge"
    const component = renderFor({}, { name: 'edge-gw', namespace: 'edge' });
    // THEN all its objects are named after it, in that namespace
    assert.deepEqual(inventory(component), [
      'Deployment/edge/edge-gw',
      'HorizontalPodAutoscaler/edge/edge-gw',
      'Role/edge/edge-gw-sds',
      'RoleBinding/edge/edge-gw-sds',
      'Service/edge/edge-gw',
      'ServiceAccount/edge/edge-gw-service-account',
    ]);
    assert.deepEqual(component.workload, {
      kind: 'Deployment',
      name: 'edge-gw',
      namespace: 'edge',
      container: 'istio-proxy',
    });
    // AND its proxy names its own workload but still finds istiod in the control-plane namespace
    assert.equal(
      envValue(component, 'ISTIO_META_OWNER'),
      'kubernetes://apis/apps/v1/namespaces/edge/deployments/edge-gw',
    );
    assert.equal(envValue(component, 'CA_ADDR'), 'istiod.istio-system.svc:15012');
    assert.equal(
      deploymentOf(component).spec.template.metadata.labels['service.istio.io/canonical-name'],
      'edge-gw',
    );
  });

  it("keeps the chart's app label for a renamed gateway unless the entry overrides it, as istioctl does", () => {
    // GIVEN a renamed gateway without labels WHEN rendered
    const component = renderFor({}, { name: 'edge-gw' });
    // THEN it selects app=istio-ingressgateway, istio=ingressgateway like the default gateway
    assert.deepEqual(deploymentOf(component).spec.selector.matchLabels, {
      app: 'istio-ingressgateway',
      istio: 'ingressgateway',
    });
  });

  it('extends and overrides the selector labels with the entry label, on pods and Service alike', () => {
    // GIVEN an entry label that replaces app and adds team
    const label = { app: 'edge-gw', team: 'payments' };
    const component = renderFor({}, { name: 'edge-gw', label });
    const deployment = deploymentOf(component);
    // THEN the Deployment selector, pod labels and Service selector all use it
    const expected = { app: 'edge-gw', istio: 'ingressgateway', team: 'payments' };
    assert.deepEqual(deployment.spec.selector.matchLabels, expected);
    assert.ok(includesLabels(deployment.spec.template.metadata.labels, expected));
    assert.deepEqual(serviceOf(component).spec.selector, expected);
    assert.ok(includesLabels(serviceOf(component).metadata.labels, expected));
  });

  it("ignores values.gateways.*.labels, since istioctl replaces them with the entry's label", () => {
    // GIVEN labels in the values and none on the entry
    const spec = { values: { gateways: { 'istio-ingressgateway': { labels: { extra: 'x' } } } } };
    // WHEN rendered THEN the selector is the chart's
    assert.deepEqual(deploymentOf(renderFor(spec)).spec.selector.matchLabels, {
      app: 'istio-ingressgateway',
      istio: 'ingressgateway',
    });
  });

  it("uses the entry's hub and tag for its image", () => {
    // GIVEN an entry with its own hub and tag WHEN rendered
    const component = renderFor({ tag: 'spec-tag' }, { hub: 'mirror.example/istio', tag: 'special' });
    // THEN the image is built from them
    assert.equal(proxyOf(component).image, 'mirror.example/istio/proxyv2:special');
  });

  it('takes a version label of the entry as the canonical revision', () => {
    // GIVEN an entry labelled version=v2 WHEN rendered THEN telemetry sees revision v2
    const labels = deploymentOf(renderFor({}, { label: { version: 'v2' } })).spec.template.metadata.labels;
    assert.equal(labels['service.istio.io/canonical-revision'], 'v2');
  });
});
