// layerSpec: built-in defaults < default profile < chosen profile < platform overlay < user spec, with
// deepMerge's rules (maps merge, lists replace, null removes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnknownPlatformError, layerSpec, profileNameOf } from '../../../src/profiles/index.ts';
import type { JsonObject } from '../../../src/tree/index.ts';
import { at, componentNames, withProfile } from './profile-builders.ts';
import { frozenObject } from '../tree/tree-builders.ts';

const builtinDefaults: JsonObject = {
  values: {
    pilot: { autoscaleEnabled: true, traceSampling: 1, replicaCount: 1 },
    global: { istioNamespace: 'from-defaults', logAsJson: false },
  },
};

describe('layerSpec', () => {
  it('uses the default profile when the spec names none', () => {
    for (const spec of [{}, { profile: '' }, { profile: null }]) {
      assert.equal(profileNameOf(spec), 'default');
      assert.deepEqual(componentNames(layerSpec(spec)), ['base', 'pilot', 'istio-ingressgateway']);
    }
  });

  it('applies the layers in order: defaults < default profile < chosen profile < user', () => {
    // GIVEN built-in defaults, the demo profile, and a user value for one field demo also sets
    const user = withProfile('demo', { values: { pilot: { traceSampling: 5 } } });
    // WHEN layered
    const spec = layerSpec(user, { builtinDefaults });
    // THEN each field comes from the highest layer that sets it
    assert.equal(at(spec, 'values.pilot.replicaCount'), 1, 'only the defaults set it');
    assert.equal(at(spec, 'values.global.logAsJson'), false, 'only the defaults set it');
    assert.equal(
      at(spec, 'values.global.istioNamespace'),
      'istio-system',
      'the default profile beats defaults',
    );
    assert.equal(at(spec, 'values.pilot.autoscaleEnabled'), false, 'demo beats defaults');
    assert.equal(at(spec, 'values.pilot.traceSampling'), 5, 'the user beats demo');
  });

  it('lets a user gateway list replace the profile list as a whole', () => {
    // GIVEN demo (ingress + egress) and a user who lists one ingress gateway of their own
    const user = withProfile('demo', {
      components: { ingressGateways: [{ name: 'edge', namespace: 'edge-ns' }] },
    });
    // WHEN layered, THEN istio-ingressgateway is gone and the egress list is still demo's
    assert.deepEqual(componentNames(layerSpec(user)), [
      'base',
      'pilot',
      'edge@edge-ns',
      'istio-egressgateway',
    ]);
  });

  it('lets a user list replace the profile ports list', () => {
    const ports = [{ name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' }];
    const user = withProfile('demo', { values: { gateways: { 'istio-ingressgateway': { ports } } } });
    const spec = layerSpec(user);
    assert.deepEqual(at(spec, 'values.gateways.istio-ingressgateway.ports'), ports);
    assert.equal(at(spec, 'values.gateways.istio-ingressgateway.autoscaleEnabled'), false);
  });

  it('removes what a profile set when the user writes null', () => {
    const user = withProfile('demo', { meshConfig: { accessLogFile: null } });
    const spec = layerSpec(user);
    assert.equal(at(spec, 'meshConfig.accessLogFile'), undefined);
    assert.ok(at(spec, 'meshConfig.extensionProviders') !== undefined);
  });

  it('merges user maps into profile maps', () => {
    const user = withProfile('ambient', { components: { cni: { namespace: 'istio-cni' } } });
    assert.deepEqual(at(layerSpec(user), 'components.cni'), { enabled: true, namespace: 'istio-cni' });
  });

  it('applies the platform overlay the user names, below the user values', () => {
    // GIVEN the default profile on k3s, with the user overriding one of the platform's directories
    const user = { values: { global: { platform: 'k3s' }, cni: { cniBinDir: '/opt/mine' } } };
    // WHEN layered
    const spec = layerSpec(user);
    // THEN the platform's other directory is there and the user's wins where both set one
    assert.equal(at(spec, 'values.cni.cniConfDir'), '/var/lib/rancher/k3s/agent/etc/cni/net.d');
    assert.equal(at(spec, 'values.cni.cniBinDir'), '/opt/mine');
  });

  it('refuses an unknown platform, listing the known ones', () => {
    assert.throws(
      () => layerSpec({ values: { global: { platform: 'mars' } } }),
      (err: unknown) =>
        err instanceof UnknownPlatformError &&
        err.message.includes('known: gke, k3d, k3s, microk8s, minikube, openshift'),
    );
  });

  it('changes neither the user spec nor the defaults, and returns a tree it does not share', () => {
    // GIVEN frozen inputs
    const user = frozenObject(withProfile('demo', { values: { pilot: { env: { A: 'b' } } } }));
    const defaults = frozenObject(structuredClone(builtinDefaults));
    // WHEN layered twice and the first result mutated
    const first = layerSpec(user, { builtinDefaults: defaults });
    (first.values as JsonObject).pilot = 'mutated';
    // THEN the second result is unaffected (profiles are not shared into results)
    assert.equal(at(layerSpec(user, { builtinDefaults: defaults }), 'values.pilot.env.A'), 'b');
    assert.equal(at(layerSpec(user), 'values.pilot.autoscaleEnabled'), false);
  });
});
