// The built-in profiles carry Istio's meaning: which components each enables, and the values that Istio keeps
// in chart-level profile files, folded into the profile data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  UnknownProfileError,
  demoIngressGatewayPorts,
  describeProfile,
  describeProfiles,
  formatComponents,
  getProfile,
  isProfileName,
  layerSpec,
  profileNames,
} from '../../../src/profiles/index.ts';
import { at, componentNames, resolved, withProfile } from './profile-builders.ts';

const ingress = 'istio-ingressgateway';
const egress = 'istio-egressgateway';
const gatewayValues = (name: string) => `values.gateways.${name}`;

describe('built-in profiles', () => {
  const expected: Record<string, string[]> = {
    default: ['base', 'pilot', ingress],
    demo: ['base', 'pilot', ingress, egress],
    minimal: ['base', 'pilot'],
    empty: [],
    remote: ['base', 'pilot'],
    preview: ['base', 'pilot', ingress],
    stable: ['base', 'pilot', ingress],
    ambient: ['base', 'pilot', 'cni', 'ztunnel'],
    openshift: ['base', 'pilot', 'cni@kube-system', ingress],
    'openshift-ambient': ['base', 'pilot', 'cni@kube-system', 'ztunnel@kube-system'],
  };

  it('are exactly the ten Istio ships', () => {
    assert.deepEqual([...profileNames].sort(), Object.keys(expected).sort());
  });

  for (const [name, components] of Object.entries(expected)) {
    it(`${name} resolves and enables ${components.length === 0 ? 'nothing' : components.join(', ')}`, () => {
      // GIVEN a spec naming only the profile, WHEN layered
      const spec = resolved(name);
      // THEN the enabled components are Istio's for that profile, in render order
      assert.deepEqual(componentNames(spec), components);
      assert.equal(getProfile(name).name, name);
    });
  }

  it('are plain JSON data: no undefined, functions or shared mutable state', () => {
    for (const name of profileNames) {
      const { spec } = getProfile(name);
      assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, name);
    }
  });

  it('all inherit the default profile values', () => {
    for (const name of profileNames) {
      assert.equal(at(resolved(name), 'values.global.istioNamespace'), 'istio-system', name);
      assert.equal(at(resolved(name), 'namespace'), 'istio-system', name);
    }
  });

  it('name their chart-level values profile the way Istio does', () => {
    const valuesProfile = Object.fromEntries(profileNames.map((n) => [n, at(resolved(n), 'values.profile')]));
    assert.deepEqual(valuesProfile, {
      default: undefined,
      demo: 'demo',
      minimal: undefined,
      empty: undefined,
      remote: 'remote',
      preview: 'preview',
      stable: 'stable',
      ambient: 'ambient',
      openshift: undefined,
      'openshift-ambient': 'ambient',
    });
  });
});

describe('the demo profile', () => {
  const demo = resolved('demo');

  it('adds the egress gateway and keeps the inherited ingress gateway', () => {
    assert.deepEqual(at(demo, 'components.egressGateways'), [{ name: egress, enabled: true }]);
    assert.deepEqual(at(demo, 'components.ingressGateways'), [{ name: ingress, enabled: true }]);
  });

  it('opens tcp 31400 and tls 15443 on the ingress gateway, with complete port entries', () => {
    const ports = at(demo, `${gatewayValues(ingress)}.ports`);
    assert.deepEqual(ports, [
      { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
      { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
      { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
      { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
    ]);
    assert.deepEqual(ports, demoIngressGatewayPorts);
  });

  it('turns autoscaling off for istiod and both gateways and traces every request', () => {
    assert.equal(at(demo, 'values.pilot.autoscaleEnabled'), false);
    assert.equal(at(demo, 'values.pilot.traceSampling'), 100);
    assert.equal(at(demo, `${gatewayValues(ingress)}.autoscaleEnabled`), false);
    assert.equal(at(demo, `${gatewayValues(egress)}.autoscaleEnabled`), false);
  });

  it('asks for tiny resources everywhere', () => {
    const small = { requests: { cpu: '10m', memory: '40Mi' } };
    assert.deepEqual(at(demo, 'values.pilot.resources'), { requests: { cpu: '10m', memory: '100Mi' } });
    for (const path of [
      'values.global.proxy',
      'values.global.waypoint',
      'values.cni',
      gatewayValues(ingress),
      gatewayValues(egress),
    ]) {
      assert.deepEqual(at(demo, `${path}.resources`), small, path);
    }
  });

  it('logs access to stdout and offers the four tracing and logging providers', () => {
    assert.equal(at(demo, 'meshConfig.accessLogFile'), '/dev/stdout');
    assert.equal(at(demo, 'meshConfig.extensionProviders.[name:jaeger].opentelemetry.port'), 4317);
    const providers = at(demo, 'meshConfig.extensionProviders') as { name: string }[];
    assert.deepEqual(
      providers.map((p) => p.name),
      ['otel', 'skywalking', 'otel-tracing', 'jaeger'],
    );
  });
});

describe('the other profiles', () => {
  it('ambient runs cni and ztunnel, no ingress, with ambient switched on in istiod, CNI and proxies', () => {
    const ambient = resolved('ambient');
    assert.deepEqual(at(ambient, 'components.ingressGateways'), [{ name: ingress, enabled: false }]);
    assert.equal(at(ambient, 'values.cni.ambient.enabled'), true);
    assert.equal(at(ambient, 'values.pilot.env.PILOT_ENABLE_AMBIENT'), 'true');
    assert.equal(at(ambient, 'values.global.variant'), 'distroless');
    assert.equal(at(ambient, 'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE'), 'true');
    assert.equal(at(ambient, 'meshConfig.serviceScopeConfigs.[0].scope'), 'GLOBAL');
  });

  it('remote keeps pilot enabled but turns it into webhook and RBAC only', () => {
    const remote = resolved('remote');
    assert.equal(at(remote, 'values.istiodRemote.enabled'), true);
    assert.equal(at(remote, 'values.pilot.configMap'), false);
    assert.equal(at(remote, 'values.telemetry.enabled'), false);
    assert.equal(at(remote, 'values.global.omitSidecarInjectorConfigMap'), true);
  });

  it('preview captures DNS and stable adds the validation policy', () => {
    assert.equal(
      at(resolved('preview'), 'meshConfig.defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE'),
      'true',
    );
    assert.equal(at(resolved('stable'), 'values.experimental.stableValidationPolicy'), true);
  });

  it('openshift and openshift-ambient get the openshift platform settings', () => {
    for (const name of ['openshift', 'openshift-ambient']) {
      const spec = resolved(name);
      assert.equal(at(spec, 'values.global.platform'), 'openshift', name);
      assert.equal(at(spec, 'values.cni.provider'), 'multus', name);
      assert.equal(at(spec, 'values.cni.cniConfDir'), '/etc/cni/multus/net.d', name);
      assert.equal(at(spec, 'values.pilot.cni.enabled'), true, name);
      assert.deepEqual(at(spec, 'unvalidatedValues.cni.seLinuxOptions'), { type: 'spc_t' }, name);
    }
    assert.equal(at(resolved('openshift-ambient'), 'values.cni.ambient.enabled'), true);
  });
});

describe('unknown profiles', () => {
  it('are refused with a typed error that lists every known name', () => {
    for (const lookup of [
      () => getProfile('prod'),
      () => layerSpec(withProfile('prod')),
      () => describeProfile('prod'),
    ]) {
      assert.throws(lookup, (err: unknown) => {
        assert.ok(err instanceof UnknownProfileError);
        assert.equal(err.profile, 'prod');
        assert.deepEqual(err.known, profileNames);
        assert.equal(err.message, `unknown profile "prod" (known: ${profileNames.join(', ')})`);
        return true;
      });
    }
  });

  it('include file paths, which istioctl accepts but meshop does not', () => {
    assert.equal(isProfileName('./my-profile.yaml'), false);
    assert.throws(() => layerSpec(withProfile('./my-profile.yaml')), UnknownProfileError);
  });
});

describe('describeProfile', () => {
  it('summarises what a profile installs, inherited components included', () => {
    // GIVEN demo, which inherits its ingress gateway from default
    const summary = describeProfile('demo');
    // THEN the summary lists both gateways and the description
    assert.equal(summary.name, 'demo');
    assert.match(summary.description, /egress/);
    assert.equal(formatComponents(summary), `base, pilot, ${ingress}, ${egress}`);
  });

  it('shows namespaces of components that have their own, and says when nothing is enabled', () => {
    assert.equal(
      formatComponents(describeProfile('openshift')),
      `base, pilot, cni (kube-system), ${ingress}`,
    );
    assert.equal(formatComponents(describeProfile('empty')), '(nothing)');
  });

  it('covers every profile in list order', () => {
    assert.deepEqual(
      describeProfiles().map((s) => s.name),
      [...profileNames],
    );
  });
});
