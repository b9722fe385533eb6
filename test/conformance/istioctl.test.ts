// The fidelity oracle: a corpus of specs rendered by `meshop manifest generate` and by the real istioctl of the
// same Istio release (built from the istio.io/istio Go module by test/istio/build-istio.sh; hack/istio.sh
// passes every release's binaries in MESHOP_ISTIO_BINS), compared whole, object for object, for every
// catalogued release. The only differences allowed are the short normalisation in whole-object.ts, which the
// test prints; anything else fails with a field-level difference.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { getRelease, releases } from '../../src/catalog/index.ts';
import { profileNames } from '../../src/profiles/index.ts';
import { diffFields, documents, normalisation, normalise, objectKey } from './whole-object.ts';
import type { Obj } from './whole-object.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bins = JSON.parse(process.env.MESHOP_ISTIO_BINS ?? '{}') as Record<string, string>;

interface Case {
  name: string;
  spec: Obj;
}

const corpus: Case[] = [
  ...profileNames.map((profile) => ({ name: `profile ${profile}`, spec: { profile } })),
  {
    name: 'a mirror: hub and tag of its own',
    spec: { profile: 'demo', hub: 'my.mirror.example/istio', tag: '1.31.0-mirror' },
  },
  { name: 'revision canary', spec: { revision: 'canary' } },
  { name: 'demo at revision canary', spec: { profile: 'demo', revision: 'canary' } },
  { name: 'ambient at revision canary', spec: { profile: 'ambient', revision: 'canary' } },
  {
    name: 'custom gateways in their own namespace',
    spec: {
      components: {
        ingressGateways: [
          { name: 'istio-ingressgateway', enabled: true },
          { name: 'edge-gateway', enabled: true, namespace: 'edge', label: { istio: 'edge' } },
        ],
        egressGateways: [{ name: 'istio-egressgateway', enabled: true }],
      },
    },
  },
  {
    name: 'k8s settings',
    spec: {
      components: {
        pilot: {
          k8s: {
            resources: { requests: { cpu: '250m', memory: '512Mi' } },
            hpaSpec: { minReplicas: 2, maxReplicas: 4 },
            env: [{ name: 'PILOT_DEBOUNCE_AFTER', value: '200ms' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            podAnnotations: { team: 'platform' },
          },
        },
        ingressGateways: [
          {
            name: 'istio-ingressgateway',
            enabled: true,
            k8s: { service: { type: 'NodePort' }, replicaCount: 2, serviceAnnotations: { a: 'b' } },
          },
        ],
      },
    },
  },
  {
    name: 'overlays',
    spec: {
      components: {
        pilot: {
          k8s: {
            overlays: [
              {
                kind: 'Deployment',
                name: 'istiod',
                patches: [
                  {
                    path: 'spec.template.spec.containers.[name:discovery].args[1]',
                    value: '--monitoringAddr=:15015',
                  },
                ],
              },
            ],
          },
        },
      },
    },
  },
  {
    name: 'meshConfig and values',
    spec: {
      meshConfig: { accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
      values: {
        pilot: { autoscaleMin: 2, traceSampling: 10 },
        global: { variant: 'distroless', logging: { level: 'default:debug' } },
        sidecarInjectorWebhook: { enableNamespacesByDefault: true },
      },
    },
  },
  { name: 'no config validation', spec: { values: { global: { configValidation: false } } } },
  {
    name: 'every k8s setting kind',
    spec: {
      components: {
        pilot: {
          k8s: {
            resources: { requests: { cpu: '300m' }, limits: { memory: '4Gi' } },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
                },
              },
            },
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mesh', effect: 'NoSchedule' }],
            readinessProbe: { periodSeconds: 5 },
            strategy: { rollingUpdate: { maxSurge: '50%' } },
            securityContext: { runAsNonRoot: true },
            priorityClassName: 'system-cluster-critical',
            imagePullPolicy: 'Always',
            podDisruptionBudget: { maxUnavailable: 1 },
            hpaSpec: { minReplicas: 2, maxReplicas: 6 },
          },
        },
        ingressGateways: [
          {
            name: 'istio-ingressgateway',
            enabled: true,
            k8s: {
              service: {
                type: 'LoadBalancer',
                ports: [
                  { name: 'http2', port: 80, targetPort: 8080 },
                  { name: 'https', port: 443, targetPort: 8443 },
                ],
              },
              env: [{ name: 'ISTIO_META_ROUTER_MODE', value: 'standard' }],
            },
          },
        ],
      },
    },
  },
  {
    name: 'overlays on a Service, a webhook and a base object',
    spec: {
      components: {
        pilot: {
          k8s: {
            overlays: [
              {
                kind: 'Service',
                name: 'istiod',
                patches: [{ path: 'metadata.annotations.team', value: 'mesh' }],
              },
              {
                kind: 'MutatingWebhookConfiguration',
                name: 'istio-sidecar-injector',
                patches: [{ path: 'metadata.annotations.team', value: 'mesh' }],
              },
            ],
          },
        },
        base: {
          k8s: {
            overlays: [
              {
                kind: 'ServiceAccount',
                name: 'istio-reader-service-account',
                patches: [{ path: 'metadata.annotations.reader', value: 'mesh-readers' }],
              },
            ],
          },
        },
      },
    },
  },
  { name: 'values.revisionTags', spec: { revision: 'blue', values: { revisionTags: ['prod'] } } },
  { name: 'compatibilityVersion', spec: { compatibilityVersion: '1.29' } },
  {
    name: 'remote with remotePilotAddress',
    spec: { profile: 'remote', values: { global: { remotePilotAddress: '127.0.0.9' } } },
  },
  {
    name: 'jwksResolverExtraRootCA and pilot env',
    spec: {
      values: { pilot: { jwksResolverExtraRootCA: 'ROOT', env: { PILOT_ENABLE_ALPHA_GATEWAY_API: 'true' } } },
    },
  },
];

/**
 * The default validator of an unrevisioned mesh: `istioctl install` creates it with the default tag on a first
 * install, which `istioctl manifest generate` cannot know of (docs/istioctl-differences.md).
 */
const defaultValidatorKey = 'ValidatingWebhookConfiguration istiod-default-validator';

/**
 * Where a release's istioctl has a known defect that meshop does not copy: version -> case -> the objects that
 * differ because of it (asserted to differ, then left out), with the reason. Printed by the test.
 */
const knownDefects: Readonly<Record<string, Readonly<Record<string, { keys: string[]; why: string }>>>> = {
  '1.30.8': Object.fromEntries(
    ['k8s settings', 'every k8s setting kind'].map((name) => [
      name,
      {
        keys: ['PodDisruptionBudget istio-system/istiod', 'ConfigMap istio-system/values'],
        why:
          "istioctl 1.30 applies k8s.hpaSpec.minReplicas only after the chart, so the chart's PDB guard " +
          '(autoscaleMin > 1) never sees it; istioctl 1.31 passes it to the chart, and meshop does so for every release',
      },
    ]),
  ),
};

const scratch = mkdtempSync(join(tmpdir(), 'meshop-oracle-'));

/**
 * istioctl is built from the module with no build flags (test/istio/build-istio.sh), so its default images are the
 * module's development ones; a user of such an istioctl names the release's published images, and so does the
 * test, unless the case names its own. meshop is given nothing: its defaults must be the published images.
 */
function releaseImages(version: string, spec: Obj): string[] {
  const release = getRelease(version);
  return [
    ...(spec.hub === undefined ? ['--set', `hub=${release.hub}`] : []),
    ...(spec.tag === undefined ? ['--set', `tag=${release.tag}`] : []),
  ];
}

async function renderBoth(
  version: string,
  c: Case,
): Promise<{ ours: Map<string, Obj>; theirs: Map<string, Obj> }> {
  const file = (kind: string, spec: Obj): string => {
    const path = join(scratch, `${version}-${c.name.replaceAll(/[^a-zA-Z0-9.]+/g, '-')}-${kind}.yaml`);
    const apiVersion = kind === 'IstioOperator' ? 'install.istio.io/v1alpha1' : 'meshop.dev/v1alpha1';
    writeFileSync(path, stringify({ apiVersion, kind, metadata: { name: 'oracle' }, spec }));
    return path;
  };
  const max = { maxBuffer: 64 * 1024 * 1024 };
  const [ours, theirs] = await Promise.all([
    run(
      process.execPath,
      [
        join(repo, 'bin', 'meshop.js'),
        'manifest',
        'generate',
        '-f',
        file('MeshConfig', { ...c.spec, version }),
      ],
      max,
    ),
    run(
      join(bins[version] ?? '', 'istioctl'),
      ['manifest', 'generate', '-f', file('IstioOperator', c.spec), ...releaseImages(version, c.spec)],
      max,
    ),
  ]);
  const byKey = (objs: Obj[]): Map<string, Obj> => new Map(objs.map((o) => [objectKey(o), normalise(o)]));
  const result = {
    ours: byKey(documents(ours.stdout).filter((o) => o.kind !== 'Namespace')),
    theirs: byKey(documents(theirs.stdout)),
  };
  if (!result.theirs.has(defaultValidatorKey)) result.ours.delete(defaultValidatorKey);
  return result;
}

describe('meshop manifest generate against istioctl manifest generate, whole objects', () => {
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('has the real istioctl of every catalogued release to compare with', (t) => {
    t.diagnostic(
      `allowed differences: ${normalisation.join('; ')}; and ${defaultValidatorKey} (an install-time object)`,
    );
    assert.deepEqual(Object.keys(bins).sort(), releases.map((r) => r.version).sort());
  });

  for (const release of releases) {
    for (const c of corpus) {
      it(`${release.version}: ${c.name}`, async (t) => {
        const { ours, theirs } = await renderBoth(release.version, c);
        const defect = knownDefects[release.version]?.[c.name];
        if (defect) {
          t.diagnostic(`known istioctl ${release.version} defect: ${defect.why}`);
          for (const key of defect.keys) {
            const differs = diffFields(ours.get(key), theirs.get(key)).length > 0;
            assert.ok(differs, `the known defect still shows in ${key}`);
            ours.delete(key);
            theirs.delete(key);
          }
        }
        assert.deepEqual(
          [...ours.keys()].sort(),
          [...theirs.keys()].sort(),
          'the same (kind, namespace, name)',
        );
        const differences = [...ours].flatMap(([key, obj]) =>
          diffFields(obj, theirs.get(key)).map((d) => `${key}: ${d}`),
        );
        assert.deepEqual(differences, [], 'whole objects equal after normalisation');
      });
    }
  }
});
