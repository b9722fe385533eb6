// Mistakes istioctl refuses are refused before anything renders: meshConfig and values against the release's
// own API definitions, k8s settings against the Kubernetes types they become, overlays that select nothing and
// compatibility versions the release's charts do not know. Each error names the field path, and a misspelt field
// the nearest valid name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getRelease } from '../../../src/catalog/index.ts';
import { loadArtifacts } from '../../../src/artifacts/index.ts';
import { RenderError, renderMesh } from '../../../src/render/index.ts';
import type { JsonObject } from '../../../src/tree/index.ts';
import { artifactsRoot, testRelease } from '../../support/render-fixtures.ts';

function problems(spec: unknown, version?: string): string[] {
  const { release, artifacts } =
    version === undefined
      ? testRelease()
      : { release: getRelease(version), artifacts: loadArtifacts(artifactsRoot, getRelease(version)) };
  try {
    renderMesh({ name: 'm', spec: spec as JsonObject }, release, artifacts);
  } catch (err) {
    assert.ok(err instanceof RenderError, String(err));
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

const pilotK8s = (k8s: JsonObject): JsonObject => ({ components: { pilot: { k8s } } });

const cases: [string, unknown, RegExp][] = [
  [
    'a misspelt meshConfig field',
    { meshConfig: { accessLogFil: '/dev/stdout' } },
    /^spec\.meshConfig\.accessLogFil: unknown field \(did you mean "accessLogFile"\?\)$/,
  ],
  [
    'a mistyped meshConfig field',
    { meshConfig: { enableTracing: 'yes' } },
    /^spec\.meshConfig\.enableTracing: must be true or false/,
  ],
  [
    'a malformed meshConfig duration',
    { meshConfig: { connectTimeout: 'ten seconds' } },
    /^spec\.meshConfig\.connectTimeout: "ten seconds" is not a duration/,
  ],
  [
    'an unknown meshConfig enum value',
    { meshConfig: { accessLogEncoding: 'XML' } },
    /^spec\.meshConfig\.accessLogEncoding: must be one of TEXT, JSON/,
  ],
  [
    'a misspelt field deep in meshConfig',
    { meshConfig: { defaultConfig: { holdApplicationUntilProxyStarts: true, concurency: 2 } } },
    /^spec\.meshConfig\.defaultConfig\.concurency: unknown field \(did you mean "concurrency"\?\)$/,
  ],
  [
    'an unknown values key',
    { values: { pilot: { autoscaleEnabeld: false } } },
    /^spec\.values\.pilot\.autoscaleEnabeld: unknown field \(did you mean "autoscaleEnabled"\?\)$/,
  ],
  [
    'a mistyped values key',
    { values: { pilot: { replicaCount: 'many' } } },
    /^spec\.values\.pilot\.replicaCount: must be an integer/,
  ],
  [
    'a values.meshConfig typo',
    { values: { meshConfig: { trustDomian: 'x' } } },
    /^spec\.values\.meshConfig\.trustDomian: unknown field \(did you mean "trustDomain"\?\)$/,
  ],
  [
    'a values struct istioctl checks as a Kubernetes type',
    { values: { pilot: { tolerations: [{ key: 'a', operater: 'Exists' }] } } },
    /^spec\.values\.pilot\.tolerations\[0\]\.operater: unknown field \(did you mean "operator"\?\)$/,
  ],
  [
    'a malformed quantity',
    pilotK8s({ resources: { requests: { cpu: '1x00m' } } }),
    /^spec\.components\.pilot\.k8s\.resources\.requests\.cpu: "1x00m" is not a quantity/,
  ],
  [
    'limits below requests',
    pilotK8s({ resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } } }),
    /^spec\.components\.pilot\.k8s\.resources\.limits\.memory: limit 512Mi is below the request 1Gi$/,
  ],
  [
    'a PDB with both bounds',
    pilotK8s({ podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }),
    /^spec\.components\.pilot\.k8s\.podDisruptionBudget: set minAvailable or maxUnavailable, not both$/,
  ],
  [
    'duplicate Service port names',
    {
      components: {
        ingressGateways: [
          {
            name: 'istio-ingressgateway',
            enabled: true,
            k8s: {
              service: {
                ports: [
                  { name: 'http', port: 80 },
                  { name: 'http', port: 81 },
                ],
              },
            },
          },
        ],
      },
    },
    /^spec\.components\.ingressGateways\[0\]\.k8s\.service\.ports\[1\]\.name: duplicate port name "http"$/,
  ],
  [
    'a misspelt field of a Kubernetes type',
    pilotK8s({ affinity: { nodeAfinity: {} } }),
    /^spec\.components\.pilot\.k8s\.affinity\.nodeAfinity: unknown field \(did you mean "nodeAffinity"\?\)$/,
  ],
  [
    'a mistyped probe',
    pilotK8s({ readinessProbe: { periodSeconds: 'often' } }),
    /^spec\.components\.pilot\.k8s\.readinessProbe\.periodSeconds: must be an integer/,
  ],
  [
    'an HPA metric field misspelt',
    pilotK8s({ hpaSpec: { maxReplicas: 3, metrics: [{ type: 'Resource', resorce: {} }] } }),
    /^spec\.components\.pilot\.k8s\.hpaSpec\.metrics\[0\]\.resorce: unknown field \(did you mean "resource"\?\)$/,
  ],
  [
    'an overlay that matches nothing',
    pilotK8s({
      overlays: [{ kind: 'Deployment', name: 'istiodd', patches: [{ path: 'spec.replicas', value: 2 }] }],
    }),
    /^spec\.components\.pilot\.k8s\.overlays: Deployment\/istiodd: matches no object of this component \(did you mean "istiod"\?\)$/,
  ],
  [
    'an unknown compatibilityVersion',
    { compatibilityVersion: '1.9' },
    /^spec\.compatibilityVersion: unknown compatibility version "1\.9" \(this release knows 1\.25, .*1\.30\)$/,
  ],
  [
    'an unknown platform',
    { values: { global: { platform: 'openshfit' } } },
    /^spec\.values\.global\.platform: unknown platform "openshfit" \(this release knows gke, k3d, k3s, microk8s, minikube, openshift\)$/,
  ],
  [
    'a profile the release does not have',
    { profile: 'ambiant' },
    /^spec\.profile: unknown profile "ambiant" \(this release knows default, demo, minimal, .*openshift-ambient\)$/,
  ],
  ['a spec that is not an object', 5, /^spec: must be an object$/],
];

describe('validation against the release', () => {
  for (const [what, spec, expected] of cases) {
    it(`refuses ${what}`, () => {
      const found = problems(spec);
      assert.equal(found.length, 1, found.join('\n'));
      assert.match(found[0] ?? '', expected);
    });
  }

  it('reports every problem at once', () => {
    const found = problems({
      meshConfig: { accessLogFil: 'x' },
      values: { pilot: { autoscaleEnabeld: false } },
      ...pilotK8s({ resources: { requests: { cpu: 'lots' } } }),
    });
    assert.deepEqual(
      found.map((p) => p.split(':')[0]),
      [
        'spec.meshConfig.accessLogFil',
        'spec.values.pilot.autoscaleEnabeld',
        'spec.components.pilot.k8s.resources.requests.cpu',
      ],
    );
  });

  it("accepts what the release defines, in either of protobuf's JSON spellings", () => {
    const spec = {
      meshConfig: {
        accessLogFile: '/dev/stdout',
        access_log_encoding: 'JSON',
        defaultConfig: { holdApplicationUntilProxyStarts: true, proxyMetadata: { A: 'b' } },
        connectTimeout: '10s',
        extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel.observability', port: 4317 } }],
      },
      values: { pilot: { autoscaleEnabled: false, env: { A: 'b' }, tolerations: [{ operator: 'Exists' }] } },
      ...pilotK8s({
        resources: { requests: { cpu: '500m', memory: 2048 }, limits: { cpu: 1, memory: '4Gi' } },
        affinity: { nodeAffinity: {} },
        hpaSpec: { maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu' } }] },
        podDisruptionBudget: { maxUnavailable: '25%' },
        overlays: [{ kind: 'Deployment', name: 'istiod', patches: [{ path: 'spec.replicas', value: 2 }] }],
      }),
      compatibilityVersion: '1.30',
    };
    assert.deepEqual(problems(spec), []);
  });

  it("checks against each release's own definitions", () => {
    // 1.30's charts carry no compatibility profile for 1.30 itself; 1.31's do.
    assert.deepEqual(problems({ compatibilityVersion: '1.30' }), []);
    assert.match(
      problems({ compatibilityVersion: '1.30' }, '1.30.8')[0] ?? '',
      /this release knows 1\.25, .*1\.29\)$/,
    );
  });
});
