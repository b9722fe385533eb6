// The fidelity oracle: a corpus of specs rendered by `meshop manifest generate` and by the real istioctl of the
// same Istio release (built from the istio.io/istio Go module by test/istio/build-istioctl.sh; hack/test.sh
// passes its path in MESHOP_ISTIOCTL). Both must produce the same (kind, namespace, name) set and equal
// essentials; the intentional differences are the ones docs/istioctl-differences.md lists, and only those.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { profileNames } from '../../src/profiles/index.ts';
import { essentials, objectKey } from './essentials.ts';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const istioctl = process.env.MESHOP_ISTIOCTL;

type Obj = Record<string, unknown>;

interface Case {
  name: string;
  spec: Obj;
}

const corpus: Case[] = [
  ...profileNames.map((profile) => ({ name: `profile ${profile}`, spec: { profile } })),
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
];

/** Objects meshop renders that istioctl leaves to the user (docs/istioctl-differences.md). */
function meshopOnly(o: Obj): boolean {
  return o.kind === 'Namespace';
}

/**
 * The default validator of an unrevisioned mesh: `istioctl install` creates it with the default tag on a first
 * install, which `istioctl manifest generate` cannot know of (docs/istioctl-differences.md).
 */
const defaultValidatorKey = 'ValidatingWebhookConfiguration istiod-default-validator';

function documents(text: string): Obj[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null && typeof o === 'object' && typeof o.kind === 'string');
}

const scratch = mkdtempSync(join(tmpdir(), 'meshop-oracle-'));

async function renderBoth(c: Case): Promise<{ ours: Map<string, Obj>; theirs: Map<string, Obj> }> {
  const file = (kind: string): string => {
    const path = join(scratch, `${c.name.replaceAll(' ', '-')}-${kind}.yaml`);
    const apiVersion = kind === 'IstioOperator' ? 'install.istio.io/v1alpha1' : 'meshop.dev/v1alpha1';
    writeFileSync(path, stringify({ apiVersion, kind, metadata: { name: 'oracle' }, spec: c.spec }));
    return path;
  };
  const max = { maxBuffer: 64 * 1024 * 1024 };
  const [ours, theirs] = await Promise.all([
    run(
      process.execPath,
      [join(repo, 'bin', 'meshop.js'), 'manifest', 'generate', '-f', file('MeshConfig')],
      max,
    ),
    run(istioctl ?? 'istioctl', ['manifest', 'generate', '-f', file('IstioOperator')], max),
  ]);
  const byKey = (objs: Obj[]): Map<string, Obj> => new Map(objs.map((o) => [objectKey(o), o]));
  const result = {
    ours: byKey(documents(ours.stdout).filter((o) => !meshopOnly(o))),
    theirs: byKey(documents(theirs.stdout)),
  };
  if (!result.theirs.has(defaultValidatorKey)) result.ours.delete(defaultValidatorKey);
  return result;
}

describe('meshop manifest generate against istioctl manifest generate', () => {
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('has the real istioctl to compare with', () => {
    assert.ok(istioctl, 'MESHOP_ISTIOCTL names the istioctl built by test/istio/build-istio.sh');
  });

  for (const c of corpus) {
    it(`renders the same objects and essentials: ${c.name}`, async () => {
      const { ours, theirs } = await renderBoth(c);
      assert.deepEqual(
        [...ours.keys()].sort(),
        [...theirs.keys()].sort(),
        'the same (kind, namespace, name)',
      );
      for (const [key, obj] of ours) {
        assert.deepEqual(essentials(obj), essentials(theirs.get(key) ?? {}), `essentials of ${key}`);
      }
    });
  }
});
