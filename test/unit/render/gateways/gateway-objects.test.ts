// Which objects a classic gateway is made of, for the built-in profiles and the values that add or remove one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComponentName } from '../../../../src/render/component.ts';
import type { ReadonlyJsonObject } from '../../../../src/tree/index.ts';
import { deploymentOf, find, has, inventory, renderFor } from './gateway-fixtures.ts';

const ingressObjects = (ns: string, name: string): string[] => [
  `Deployment/${ns}/${name}`,
  `HorizontalPodAutoscaler/${ns}/${name}`,
  `Role/${ns}/${name}-sds`,
  `RoleBinding/${ns}/${name}-sds`,
  `Service/${ns}/${name}`,
  `ServiceAccount/${ns}/${name}-service-account`,
];

describe('renderGateway: objects', () => {
  it('renders the default profile ingress gateway as istioctl does, autoscaler included', () => {
    // GIVEN the default profile WHEN its ingress gateway is rendered
    const component = renderFor();
    // THEN it is the account, SDS role and binding, Deployment, HPA and Service, and no PDB for one replica
    assert.deepEqual(inventory(component), ingressObjects('istio-system', 'istio-ingressgateway'));
  });

  it('names the component, the instance and the workload k8s settings patch', () => {
    // GIVEN the default profile WHEN the ingress gateway is rendered
    const component = renderFor();
    // THEN the component is the ingress gateway instance of the default revision, its workload the proxy
    assert.equal(component.name, ComponentName.IngressGateways);
    assert.equal(component.instance, 'istio-ingressgateway');
    assert.equal(component.revision, undefined);
    assert.deepEqual(component.workload, {
      kind: 'Deployment',
      name: 'istio-ingressgateway',
      namespace: 'istio-system',
      container: 'istio-proxy',
    });
  });

  it('renders no autoscaler in the demo profile, for either direction', () => {
    // GIVEN the demo profile, which turns gateway autoscaling off
    const spec = { profile: 'demo' };
    // WHEN both of its gateways are rendered
    const ingress = renderFor(spec);
    const egress = renderFor(spec, { kind: 'egress' });
    // THEN each is account, role, binding, Deployment and Service only
    assert.deepEqual(
      inventory(ingress),
      ingressObjects('istio-system', 'istio-ingressgateway').filter((o) => !o.startsWith('Horizontal')),
    );
    assert.deepEqual(inventory(egress), [
      'Deployment/istio-system/istio-egressgateway',
      'Role/istio-system/istio-egressgateway-sds',
      'RoleBinding/istio-system/istio-egressgateway-sds',
      'Service/istio-system/istio-egressgateway',
      'ServiceAccount/istio-system/istio-egressgateway-service-account',
    ]);
    assert.equal(egress.name, ComponentName.EgressGateways);
  });

  it('drops the autoscaler when autoscaling is turned off in values', () => {
    // GIVEN the default profile with ingress autoscaling off
    const spec = { values: { gateways: { 'istio-ingressgateway': { autoscaleEnabled: false } } } };
    // WHEN rendered THEN there is no HPA, and no fixed replica count unless one is asked for
    const component = renderFor(spec);
    assert.equal(has(component, 'HorizontalPodAutoscaler'), false);
    assert.equal(deploymentOf(component).spec.replicas, undefined);
  });

  it('scales on CPU between the values bounds', () => {
    // GIVEN the default profile WHEN rendered
    const hpa = find(renderFor(), 'HorizontalPodAutoscaler').spec as Record<string, unknown>;
    // THEN the HPA targets the Deployment, 1 to 5 replicas at 80% CPU
    assert.deepEqual(hpa, {
      maxReplicas: 5,
      minReplicas: 1,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istio-ingressgateway' },
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    });
  });

  it('grants the gateway read access to the Secrets of its namespace only', () => {
    // GIVEN the default profile WHEN rendered
    const component = renderFor();
    const role = find(component, 'Role', 'istio-ingressgateway-sds');
    const binding = find(component, 'RoleBinding', 'istio-ingressgateway-sds');
    // THEN the role reads secrets and is bound to the gateway's own account
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] },
    ]);
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'istio-ingressgateway-sds',
    });
    assert.deepEqual(binding.subjects, [
      { kind: 'ServiceAccount', name: 'istio-ingressgateway-service-account' },
    ]);
  });
});

describe('renderGateway: disruption budget', () => {
  const gatewayValues = (values: ReadonlyJsonObject) => ({
    values: { gateways: { 'istio-ingressgateway': values } },
  });

  it('renders a PDB when the autoscaler may run more than one pod', () => {
    // GIVEN autoscaling from 2 replicas WHEN rendered
    const component = renderFor(gatewayValues({ autoscaleMin: 2 }));
    // THEN a PDB keeps one of the gateway's pods up
    const pdb = find(component, 'PodDisruptionBudget');
    assert.deepEqual(pdb.spec, {
      minAvailable: 1,
      selector: { matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
    });
  });

  it('renders a PDB for a fixed count above one, and none for one replica', () => {
    // GIVEN autoscaling off with 3 replicas, and with 1
    const three = renderFor(gatewayValues({ autoscaleEnabled: false, replicaCount: 3 }));
    const one = renderFor(gatewayValues({ autoscaleEnabled: false, replicaCount: 1 }));
    // THEN only the first has a PDB; both fix their replica count
    assert.equal(has(three, 'PodDisruptionBudget'), true);
    assert.equal(deploymentOf(three).spec.replicas, 3);
    assert.equal(has(one, 'PodDisruptionBudget'), false);
    assert.equal(deploymentOf(one).spec.replicas, 1);
  });

  it('renders no PDB when default budgets are turned off', () => {
    // GIVEN several replicas but global.defaultPodDisruptionBudget.enabled=false
    const spec = {
      values: {
        global: { defaultPodDisruptionBudget: { enabled: false } },
        gateways: { 'istio-ingressgateway': { autoscaleMin: 3 } },
      },
    };
    // WHEN rendered THEN no PDB
    assert.equal(has(renderFor(spec), 'PodDisruptionBudget'), false);
  });

  it("takes the HPA bounds of the entry's k8s.hpaSpec into account, as istioctl does", () => {
    // GIVEN an entry whose k8s settings ask for 2 to 7 replicas
    const component = renderFor({}, { k8s: { hpaSpec: { minReplicas: 2, maxReplicas: 7 } } });
    // THEN the HPA has those bounds and, with more than one pod possible, a PDB is rendered
    const hpa = find(component, 'HorizontalPodAutoscaler').spec as {
      minReplicas: number;
      maxReplicas: number;
    };
    assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], [2, 7]);
    assert.equal(has(component, 'PodDisruptionBudget'), true);
  });
});

describe('renderGateway: optional objects', () => {
  it('renders a NetworkPolicy for the gateway only when network policies are enabled', () => {
    // GIVEN network policies on WHEN rendered
    const on = renderFor({ values: { global: { networkPolicy: { enabled: true } } } });
    const policy = find(on, 'NetworkPolicy').spec as { podSelector: unknown; ingress: unknown[] };
    // THEN it selects the gateway's pods and admits status, metrics and each served port
    assert.deepEqual(policy.podSelector, {
      matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    });
    assert.equal(policy.ingress.length, 2 + 3);
    // AND by default there is none
    assert.equal(has(renderFor(), 'NetworkPolicy'), false);
  });

  it('leaves the Service out when the user brings their own', () => {
    // GIVEN customService WHEN rendered THEN no Service
    const spec = { values: { gateways: { 'istio-ingressgateway': { customService: true } } } };
    assert.equal(has(renderFor(spec), 'Service'), false);
  });
});
