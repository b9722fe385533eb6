// What an egress gateway does differently from an ingress gateway rendered from the same spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentOf, proxyOf, renderFor, serviceOf, servicePorts, volume } from './gateway-fixtures.ts';

describe('renderGateway: egress', () => {
  const egress = () => renderFor({ profile: 'demo' }, { kind: 'egress' });

  it('is reached only from inside the cluster, on HTTP and HTTPS', () => {
    // GIVEN the demo profile WHEN its egress gateway is rendered
    const component = egress();
    // THEN the Service is ClusterIP without a status port
    assert.equal(serviceOf(component).spec.type, 'ClusterIP');
    assert.deepEqual(servicePorts(component), ['http2:80->8080', 'https:443->8443']);
    assert.deepEqual(
      proxyOf(component).ports.map((p) => p.containerPort),
      [8080, 8443, 15090],
    );
  });

  it('is labelled and selected as an egress gateway', () => {
    // GIVEN the demo profile WHEN its egress gateway is rendered
    const component = egress();
    const deployment = deploymentOf(component);
    // THEN its labels name the egress gateway, for Gateway resources selecting istio=egressgateway
    assert.deepEqual(deployment.spec.selector.matchLabels, {
      app: 'istio-egressgateway',
      istio: 'egressgateway',
    });
    assert.deepEqual(serviceOf(component).spec.selector, deployment.spec.selector.matchLabels);
    assert.equal(deployment.metadata.labels['operator.istio.io/component'], 'EgressGateways');
    assert.equal(deployment.spec.template.spec.serviceAccountName, 'istio-egressgateway-service-account');
  });

  it('mounts the egress certificate secrets if they exist', () => {
    // GIVEN the demo profile WHEN its egress gateway is rendered THEN the optional secrets are the egress ones
    const component = egress();
    assert.equal(volume(component, 'egressgateway-certs').secret?.secretName, 'istio-egressgateway-certs');
    assert.equal(
      volume(component, 'egressgateway-ca-certs').secret?.secretName,
      'istio-egressgateway-ca-certs',
    );
  });

  it('reads its own values, not the ingress ones', () => {
    // GIVEN ingress and egress values that differ
    const spec = {
      values: {
        gateways: {
          'istio-ingressgateway': { env: { SIDE: 'in' } },
          'istio-egressgateway': { env: { SIDE: 'out' }, autoscaleMin: 2 },
        },
      },
    };
    // WHEN the egress gateway is rendered THEN it takes the egress settings
    const component = renderFor(spec, { kind: 'egress' });
    assert.equal(proxyOf(component).env.find((e) => e.name === 'SIDE')?.value, 'out');
    assert.ok(component.objects.some((o) => o.kind === 'PodDisruptionBudget'));
  });
});
