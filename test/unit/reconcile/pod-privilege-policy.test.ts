// A MeshConfig may pick components, not widen what their pods may do: each grant of a rendered pod (containers,
// host namespaces and paths, privileged mode, capabilities, the ServiceAccount) must be one the release's own
// render of the same components has. Rendered with the real release data.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../src/kube/index.ts';
import { podPrivileges, renderMesh } from '../../../src/render/index.ts';
import {
  checkPodPrivileges,
  referenceSpec,
  widenedPrivileges,
} from '../../../src/reconcile/pod-privilege-policy.ts';
import { InvalidSpecError } from '../../../src/reconcile/reconcile-errors.ts';
import type { MeshObject } from '../../../src/reconcile/mesh-object.ts';
import type { ReleaseSource } from '../../../src/reconcile/release-source.ts';
import { testRelease, testVersion } from '../../support/render-fixtures.ts';

const releases: ReleaseSource = { versions: [testVersion], load: () => testRelease() };

function render(spec: Record<string, unknown>): KubeObject[] {
  const { release, artifacts } = testRelease();
  return renderMesh({ name: 'm', spec: spec as never }, release, artifacts).objects;
}

function mesh(spec: Record<string, unknown>): MeshObject {
  return {
    apiVersion: 'meshop.dev/v1alpha1',
    kind: 'MeshConfig',
    metadata: { name: 'm' },
    spec,
  };
}

/** Refused lines for `spec`, or [] when the operator would apply it. */
function refused(spec: Record<string, unknown>): string {
  const rendered = {
    ...renderMesh({ name: 'm', spec: spec as never }, testRelease().release, testRelease().artifacts),
  };
  try {
    checkPodPrivileges(mesh(spec), rendered, releases, '');
    return '';
  } catch (err) {
    assert.ok(err instanceof InvalidSpecError, String(err));
    return err.message;
  }
}

const istiodOverlay = (patches: { path: string; value: unknown }[]) => ({
  components: { pilot: { k8s: { overlays: [{ kind: 'Deployment', name: 'istiod', patches }] } } },
});

describe('pod privileges', () => {
  it("lists the CNI DaemonSet's own grants, and only the ServiceAccount and containers of istiod", () => {
    const objects = render({ profile: 'default', components: { cni: { enabled: true } } });
    const istiod = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');
    const cni = objects.find((o) => o.kind === 'DaemonSet');
    assert.ok(istiod && cni);
    assert.deepEqual(podPrivileges(istiod), ['serviceAccount istiod', 'container discovery']);
    const cniGrants = podPrivileges(cni);
    assert.ok(cniGrants.includes('serviceAccount istio-cni'), cniGrants.join('\n'));
    assert.ok(
      cniGrants.some((g) => g.includes(' hostPath /')),
      `the CNI DaemonSet mounts host paths:\n${cniGrants.join('\n')}`,
    );
  });

  it('strips values, overlays and security contexts, and keeps the rest of the spec', () => {
    const spec = {
      profile: 'demo',
      values: { pilot: { env: { A: '1' } } },
      unvalidatedValues: { x: 1 },
      components: {
        pilot: {
          k8s: { replicaCount: 2, securityContext: { runAsUser: 0 }, overlays: [{ kind: 'Deployment' }] },
        },
        ingressGateways: [
          { name: 'gw', enabled: true, k8s: { overlays: [], env: [{ name: 'B', value: '2' }] } },
        ],
      },
    };
    assert.deepEqual(referenceSpec(spec), {
      profile: 'demo',
      components: {
        pilot: { k8s: { replicaCount: 2 } },
        ingressGateways: [{ name: 'gw', enabled: true, k8s: { env: [{ name: 'B', value: '2' }] } }],
      },
    });
  });

  it('applies what widens nothing: the CNI of the profile, resources and env through values and overlays', () => {
    assert.equal(refused({ profile: 'ambient' }), '');
    assert.equal(
      refused({
        profile: 'ambient',
        values: { pilot: { resources: { requests: { cpu: '100m' } } } },
        ...istiodOverlay([
          { path: 'spec.template.spec.containers.[name:discovery].args[-1]', value: '--log_as_json' },
        ]),
      }),
      '',
    );
  });

  it('refuses a container, a host path, a host namespace and privileged mode added by an overlay, naming each', () => {
    const message = refused(
      istiodOverlay([
        {
          path: 'spec.template.spec.containers[-1]',
          value: { name: 'miner', image: 'docker.io/istio/pilot:1.31.0' },
        },
        { path: 'spec.template.spec.volumes[-1]', value: { name: 'root', hostPath: { path: '/' } } },
        { path: 'spec.template.spec.hostPID', value: true },
        { path: 'spec.template.spec.containers.[name:discovery].securityContext.privileged', value: true },
        {
          path: 'spec.template.spec.containers.[name:discovery].securityContext.capabilities.add',
          value: ['SYS_ADMIN', 'NET_BIND_SERVICE'],
        },
        { path: 'spec.template.spec.serviceAccountName', value: 'istio-cni' },
      ]),
    );
    for (const grant of [
      'Deployment istio-system/istiod: container miner',
      'Deployment istio-system/istiod: volume root hostPath /',
      'Deployment istio-system/istiod: hostPID',
      'Deployment istio-system/istiod: container discovery privileged',
      'Deployment istio-system/istiod: container discovery capability SYS_ADMIN',
      'Deployment istio-system/istiod: serviceAccount istio-cni',
    ]) {
      assert.ok(message.includes(grant), `${grant}\nnot in: ${message}`);
    }
    assert.ok(!message.includes('NET_BIND_SERVICE'), 'a capability the baseline level allows is not named');
    assert.match(message, /--allow-pod-privileges-from-spec/);
  });

  it("refuses an unconfined seccomp profile and an unsafe sysctl in the pod's security context", () => {
    const message = refused({
      components: {
        pilot: {
          k8s: {
            securityContext: {
              seccompProfile: { type: 'Unconfined' },
              sysctls: [
                { name: 'kernel.msgmax', value: '1' },
                { name: 'net.ipv4.tcp_syncookies', value: '1' },
              ],
            },
          },
        },
      },
    });
    assert.match(message, /Deployment istio-system\/istiod: pod seccomp Unconfined/);
    assert.match(message, /sysctl kernel\.msgmax/);
    assert.doesNotMatch(message, /tcp_syncookies/);
  });

  it('compares object by object: a grant another rendered object has is not allowed to this one', () => {
    const reference = render({ components: { cni: { enabled: true } } });
    const cni = reference.find((o) => o.kind === 'DaemonSet');
    const istiod = reference.find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');
    assert.ok(cni && istiod);
    const hostPaths = podPrivileges(cni).filter((g) => g.startsWith('volume '));
    const widened = structuredClone(istiod) as unknown as {
      spec: { template: { spec: { volumes?: unknown[] } } };
    };
    const cniVolumes = (
      cni as unknown as { spec: { template: { spec: { volumes: { hostPath?: unknown }[] } } } }
    ).spec.template.spec.volumes;
    widened.spec.template.spec.volumes = [
      ...(widened.spec.template.spec.volumes ?? []),
      ...cniVolumes.filter((v) => v.hostPath !== undefined),
    ];
    const lines = widenedPrivileges([widened as unknown as KubeObject], reference);
    assert.equal(lines.length, hostPaths.length, lines.join('\n'));
  });
});
