// The gateway's Service: ports, type and the settings the values pass through to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyOf, renderFor, serviceOf, servicePorts } from './gateway-fixtures.ts';

const defaultIngressPorts = ['status-port:15021->15021', 'http2:80->8080', 'https:443->8443'];

describe('renderGateway: Service', () => {
  it('exposes the default ingress ports through a load balancer', () => {
    // GIVEN the default profile WHEN the ingress gateway is rendered
    const component = renderFor();
    // THEN the Service is a LoadBalancer on status, HTTP and HTTPS
    assert.equal(serviceOf(component).spec.type, 'LoadBalancer');
    assert.deepEqual(servicePorts(component), defaultIngressPorts);
    assert.ok(serviceOf(component).spec.ports.every((p) => p.protocol === 'TCP'));
  });

  it('adds raw TCP and TLS passthrough ports in the demo profile', () => {
    // GIVEN the demo profile WHEN rendered THEN 31400 and 15443 follow the default ports
    assert.deepEqual(servicePorts(renderFor({ profile: 'demo' })), [
      ...defaultIngressPorts,
      'tcp:31400->31400',
      'tls:15443->15443',
    ]);
  });

  it('passes annotations, type and load-balancer settings from the values', () => {
    // GIVEN Service settings in the ingress values
    const spec = {
      values: {
        gateways: {
          'istio-ingressgateway': {
            type: 'NodePort',
            serviceAnnotations: { 'cloud.example/internal': 'true' },
            externalTrafficPolicy: 'Local',
            ingressPorts: [{ name: 'extra', port: 9999 }],
          },
        },
      },
    };
    // WHEN rendered
    const component = renderFor(spec);
    const service = serviceOf(component);
    // THEN the Service has them
    assert.equal(service.spec.type, 'NodePort');
    assert.deepEqual(service.metadata.annotations, { 'cloud.example/internal': 'true' });
    assert.equal(service.spec.externalTrafficPolicy, 'Local');
    assert.deepEqual(servicePorts(component), [...defaultIngressPorts, 'extra:9999->9999']);
  });

  it("serves the ports of the entry's k8s.service on both the Service and the container", () => {
    // GIVEN an entry whose k8s.service lists its own ports
    const ports = [
      { name: 'http2', port: 80, targetPort: 8081 },
      { name: 'tcp-dns', port: 5353, protocol: 'UDP' },
    ];
    // WHEN rendered
    const component = renderFor({}, { k8s: { service: { ports } } });
    // THEN they replace the values' ports for the Service and the container alike
    assert.deepEqual(servicePorts(component), ['http2:80->8081', 'tcp-dns:5353->5353']);
    assert.deepEqual(
      proxyOf(component).ports.map((p) => `${p.containerPort}/${p.protocol}`),
      ['8081/TCP', '5353/UDP', '15090/TCP'],
    );
  });
});
