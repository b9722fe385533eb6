// Golden files: the whole render of each profile and of each feature, byte for byte, so any change to what
// meshop applies shows up in review. UPDATE_GOLDEN=1 rewrites them. Istio's own release data (CRD schemas,
// injection templates) is never committed: in the golden text a CRD is one comment line and each injection
// template its checksum (the artifact tests pin those bytes).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../../../src/kube/index.ts';
import { objectToYaml, renderMesh } from '../../../src/render/index.ts';
import type { ReadonlyJsonObject } from '../../../src/tree/index.ts';
import { testRelease } from '../../support/render-fixtures.ts';

const goldenDir = fileURLToPath(new URL('../../golden/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

export const goldenCases: Record<string, ReadonlyJsonObject> = {
  'profile-default': {},
  'profile-demo': { profile: 'demo' },
  'profile-minimal': { profile: 'minimal' },
  'profile-empty': { profile: 'empty' },
  'profile-remote': {
    profile: 'remote',
    values: { istiodRemote: { injectionURL: 'https://127.0.0.1:15017/inject' } },
  },
  'profile-preview': { profile: 'preview' },
  'profile-stable': { profile: 'stable' },
  'profile-ambient': { profile: 'ambient' },
  'profile-openshift': { profile: 'openshift' },
  'profile-openshift-ambient': { profile: 'openshift-ambient' },
  'revision-canary': { revision: 'canary', values: { pilot: { autoscaleMin: 2 } } },
  'revision-tags': { revision: 'blue', revisionTags: { prod: 'blue', default: 'blue' } },
  'gateways-own-namespace': {
    components: {
      ingressGateways: [{ name: 'edge-gateway', namespace: 'edge', label: { istio: 'edge' } }],
      egressGateways: [{ name: 'istio-egressgateway', enabled: true }],
    },
  },
  'k8s-settings-and-overlays': {
    components: {
      pilot: {
        k8s: {
          replicaCount: 3,
          resources: { requests: { cpu: '1', memory: '1Gi' } },
          podDisruptionBudget: { maxUnavailable: 1 },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mesh', effect: 'NoSchedule' }],
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
  addons: {
    profile: 'minimal',
    addons: {
      prometheus: { enabled: true },
      grafana: { enabled: true },
      kiali: { enabled: true },
      jaeger: { enabled: true },
    },
  },
};

const digest = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** The object as the golden file shows it: Istio's release data replaced by what identifies it. */
function forGolden(obj: KubeObject): string {
  if (obj.kind === 'CustomResourceDefinition')
    return `# CustomResourceDefinition ${obj.metadata.name ?? ''} (release artifact)\n`;
  const data = (obj as { data?: Record<string, string> }).data;
  if (
    obj.kind === 'ConfigMap' &&
    data?.config !== undefined &&
    (obj.metadata.name ?? '').startsWith('istio-sidecar-injector')
  ) {
    const config = parse(data.config) as { templates: Record<string, string> };
    config.templates = Object.fromEntries(Object.entries(config.templates).map(([k, v]) => [k, digest(v)]));
    return objectToYaml({ ...obj, data: { ...data, config: stringify(config) } });
  }
  return objectToYaml(obj);
}

export function goldenText(spec: ReadonlyJsonObject): string {
  const { release, artifacts } = testRelease();
  return renderMesh({ name: 'golden', spec }, release, artifacts).objects.map(forGolden).join('---\n');
}

describe('golden renders', () => {
  for (const [name, spec] of Object.entries(goldenCases)) {
    it(`renders ${name} as recorded`, () => {
      const file = join(goldenDir, `${name}.yaml`);
      const text = goldenText(spec);
      if (update || !existsSync(file)) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, text);
        if (!update) assert.fail(`${file} was missing and has been written; review and commit it`);
      }
      assert.equal(text, readFileSync(file, 'utf8'), `${name}: run with UPDATE_GOLDEN=1 and review the diff`);
    });
  }

  it('renders the same bytes twice', () => {
    assert.equal(goldenText({ profile: 'demo' }), goldenText({ profile: 'demo' }));
  });
});
