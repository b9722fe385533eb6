// Istio's own charts, from the release-1.31 istio.io/istio module in the module cache, rendered with default and
// a few non-default values. Byte-for-byte equality with Helm is checked natively (engine/helmcheck); here we
// check facts the operator relies on, through the WebAssembly engine it will use.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { releases } from '../../../src/catalog/index.ts';
import type { RenderResult } from '../../../src/charts/index.ts';
import type { JsonObject } from '../../../src/tree/index.ts';
import { renderDir } from './engine-fixture.ts';

const release = releases[0]!;
const modCache =
  process.env.GOMODCACHE ?? join(process.env.MESHOP_CACHE_DIR ?? join(homedir(), '.cache/meshop'), 'go-mod');
const chartsRoot = join(modCache, `istio.io/istio@${release.istioModule ?? 'unknown'}`, 'manifests/charts');
const skip = existsSync(chartsRoot)
  ? false
  : `istio.io/istio@${release.istioModule ?? '?'} is not in ${modCache}`;

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: { name: string; image: string }[] } } };
}

function objects(result: RenderResult): K8sObject[] {
  return result.manifests
    .flatMap((m) => parseAllDocuments(m.document).map((d) => d.toJS() as K8sObject | null))
    .filter((o): o is K8sObject => o !== null);
}

function named(result: RenderResult, kind: string): string[] {
  return objects(result)
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata.name);
}

async function renderIstio(chart: string, values: JsonObject = {}): Promise<RenderResult> {
  const result = await renderDir(join(chartsRoot, chart), values, {
    release: { name: chart === 'gateway' ? 'ingress' : 'istio', namespace: 'istio-system' },
  });
  for (const t of result.templates) assert.doesNotMatch(t.output, /<no value>/, t.name);
  return result;
}

function defaultGlobal(): { hub: string; tag: string } {
  const values = parse(
    readFileSync(join(chartsRoot, 'istio-control/istio-discovery/values.yaml'), 'utf8'),
  ) as {
    _internal_defaults_do_not_set: { global: { hub: string; tag: string } };
  };
  return values._internal_defaults_do_not_set.global;
}

describe(`Istio ${release.minor} charts`, { skip }, () => {
  it('renders istiod with the image from the chart’s default hub and tag', async () => {
    const result = await renderIstio('istio-control/istio-discovery');
    const istiod = objects(result).find((o) => o.kind === 'Deployment' && o.metadata.name === 'istiod');
    assert.ok(istiod, 'istiod Deployment');
    assert.equal(istiod.metadata.namespace, 'istio-system');
    const { hub, tag } = defaultGlobal();
    assert.equal(istiod.spec?.template?.spec?.containers?.[0]?.image, `${hub}/pilot:${tag}`);
    assert.deepEqual(named(result, 'MutatingWebhookConfiguration'), ['istio-sidecar-injector']);
    assert.deepEqual(named(result, 'ValidatingWebhookConfiguration'), ['istio-validator-istio-system']);
  });

  it('names everything after the revision and takes hub and tag from values', async () => {
    const result = await renderIstio('istio-control/istio-discovery', {
      revision: 'canary',
      global: { hub: 'example.com/istio', tag: '9.9.9' },
    });
    const istiod = objects(result).find((o) => o.kind === 'Deployment');
    assert.equal(istiod?.metadata.name, 'istiod-canary');
    assert.equal(istiod.spec?.template?.spec?.containers?.[0]?.image, 'example.com/istio/pilot:9.9.9');
    assert.deepEqual(named(result, 'MutatingWebhookConfiguration'), ['istio-sidecar-injector-canary']);
  });

  it('applies a profile from the chart’s files (ambient turns on the CNI integration)', async () => {
    const plain = await renderIstio('istio-control/istio-discovery');
    const ambient = await renderIstio('istio-control/istio-discovery', { profile: 'ambient' });
    const env = (r: RenderResult): string =>
      r.manifests
        .find((m) => m.kind === 'Deployment')
        ?.document.match(/PILOT_ENABLE_AMBIENT\n\s+value: "(\w+)"/)?.[1] ?? 'unset';
    assert.equal(env(plain), 'unset');
    assert.equal(env(ambient), 'true');
  });

  it('renders base, gateway, ztunnel and cni', async () => {
    const base = await renderIstio('base');
    const kinds = base.manifests.map((m) => m.kind);
    assert.ok(kinds.indexOf('CustomResourceDefinition') < kinds.indexOf('ValidatingWebhookConfiguration'));
    assert.ok(named(base, 'CustomResourceDefinition').includes('virtualservices.networking.istio.io'));
    assert.deepEqual(named(await renderIstio('gateway'), 'Deployment'), ['ingress']);
    assert.deepEqual(named(await renderIstio('gateway', { name: 'edge' }), 'Deployment'), ['edge']);
    assert.deepEqual(named(await renderIstio('ztunnel'), 'DaemonSet'), ['ztunnel']);
    assert.deepEqual(named(await renderIstio('istio-cni'), 'DaemonSet'), ['istio-cni-node']);
  });

  it('fails with the chart’s own message on an unknown profile', async () => {
    await assert.rejects(
      renderIstio('istio-control/istio-discovery', { profile: 'nope' }),
      /unknown profile nope/,
    );
  });
});
