// The generated MeshConfig CRD: what `kubectl` users rely on (names, columns, status, descriptions), what the
// API server requires (a structural schema), and that the committed copy is the one the code produces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { crdManifestFiles, meshConfigCrd } from '../../../src/api/index.ts';

type Json = Record<string, unknown>;
interface Version {
  name: string;
  subresources: Json;
  additionalPrinterColumns: { name: string; jsonPath: string }[];
  schema: { openAPIV3Schema: Json };
}
interface Crd {
  metadata: { name: string };
  spec: { group: string; scope: string; names: Json & { shortNames: string[] }; versions: Version[] };
}

const crd = meshConfigCrd() as unknown as Crd;
const version = crd.spec.versions[0]!;
const root = version.schema.openAPIV3Schema;

/** Every schema node with its path, e.g. `spec.components.ingressGateways[]`. */
function nodes(node: Json, path = ''): [string, Json][] {
  const children: [string, Json][] = [];
  const properties = (node.properties ?? {}) as Record<string, Json>;
  for (const [key, child] of Object.entries(properties))
    children.push(...nodes(child, path ? `${path}.${key}` : key));
  if (node.items) children.push(...nodes(node.items as Json, `${path}[]`));
  if (node.additionalProperties) children.push(...nodes(node.additionalProperties as Json, `${path}{}`));
  return [[path, node], ...children];
}

function nodeAt(path: string): Json {
  const found = nodes(root).find(([p]) => p === path);
  assert.ok(found, `no schema node at ${path}`);
  return found[1];
}

/** `undefined` when equal, else the first differing line of each, kept short for a readable failure. */
function firstDifference(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined;
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

function rulesAt(path: string): string[] {
  return ((nodeAt(path)['x-kubernetes-validations'] ?? []) as { rule: string }[]).map((r) => r.rule);
}

describe('the MeshConfig CRD', () => {
  it('is meshconfigs.meshop.dev/v1alpha1, cluster-scoped, short name mesh, with a status subresource', () => {
    assert.equal(crd.metadata.name, 'meshconfigs.meshop.dev');
    assert.equal(crd.spec.group, 'meshop.dev');
    assert.equal(crd.spec.scope, 'Cluster');
    assert.equal(crd.spec.names.kind, 'MeshConfig');
    assert.deepEqual(crd.spec.names.shortNames, ['mesh']);
    assert.equal(version.name, 'v1alpha1');
    assert.deepEqual(version.subresources, { status: {} });
  });

  it('prints Profile, Version, Revision, Ready and Age', () => {
    assert.deepEqual(
      version.additionalPrinterColumns.map((c) => c.name),
      ['Profile', 'Version', 'Active', 'Revisions', 'In use', 'Ready', 'Age'],
    );
    const ready = version.additionalPrinterColumns.find((c) => c.name === 'Ready');
    assert.equal(ready?.jsonPath, '.status.conditions[?(@.type=="Ready")].status');
  });

  it('has a structural schema: every node has a type, or is int-or-string, or keeps unknown fields', () => {
    const untyped = nodes(root)
      .filter(
        ([, n]) => !n.type && !n['x-kubernetes-int-or-string'] && !n['x-kubernetes-preserve-unknown-fields'],
      )
      .map(([p]) => p);
    assert.deepEqual(untyped, []);
  });

  it('never mixes properties with additionalProperties, and carries no offline-only data', () => {
    for (const [path, node] of nodes(root)) {
      assert.ok(!(node.properties && node.additionalProperties), path);
      for (const rule of (node['x-kubernetes-validations'] ?? []) as Json[]) {
        assert.ok(!('check' in rule), `${path}: the offline check leaked into the CRD`);
        assert.equal(typeof rule.rule, 'string', path);
        assert.equal(typeof rule.message, 'string', path);
      }
    }
  });

  it('describes every field, so kubectl explain helps', () => {
    const undescribed = nodes(root)
      .filter(([p, n]) => p !== 'metadata' && typeof n.description !== 'string')
      .map(([p]) => p);
    assert.deepEqual(undescribed, []);
    assert.match(String(nodeAt('spec.components').description), /component/i);
  });

  it("accepts every IstioOperator spec field and meshop's own", () => {
    const spec = Object.keys(nodeAt('spec').properties as Json).sort();
    for (const field of [
      'profile',
      'revision',
      'hub',
      'tag',
      'namespace',
      'compatibilityVersion',
      'meshConfig',
    ]) {
      assert.ok(spec.includes(field), field);
    }
    for (const field of [
      'values',
      'unvalidatedValues',
      'components',
      'version',
      'updateStrategy',
      'revisionTags',
    ]) {
      assert.ok(spec.includes(field), field);
    }
    assert.ok(spec.includes('addons') && spec.includes('teardown'));
    const k8s = Object.keys(nodeAt('spec.components.pilot.k8s').properties as Json);
    assert.equal(k8s.length, 19);
  });

  it('keeps free-form parts (values, meshConfig, affinity) as written', () => {
    for (const path of [
      'spec.values',
      'spec.unvalidatedValues',
      'spec.meshConfig',
      'spec.components.pilot.k8s.affinity',
    ]) {
      assert.equal(nodeAt(path)['x-kubernetes-preserve-unknown-fields'], true, path);
    }
  });

  it('states cross-field invariants and name rules in CEL', () => {
    assert.match(rulesAt('spec.revision')[0] ?? '', /matches\('\^\[a-z0-9\]/);
    assert.match(rulesAt('spec.components.ingressGateways')[0] ?? '', /exists_one/);
    assert.match(rulesAt('spec.components.egressGateways')[0] ?? '', /exists_one/);
    assert.match(rulesAt('spec.updateStrategy')[0] ?? '', /RevisionBased/);
    assert.equal(rulesAt('spec').length, 2);
    // Offline-only rules (the image tag) never reach the CRD.
    assert.deepEqual(rulesAt('spec.tag'), []);
  });

  it('lists the enums the API server can check by itself', () => {
    assert.deepEqual(nodeAt('spec.updateStrategy.type').enum, ['InPlace', 'RevisionBased']);
    assert.deepEqual(nodeAt('spec.components.ingressGateways[].k8s.imagePullPolicy').enum, [
      'Always',
      'IfNotPresent',
      'Never',
    ]);
    assert.deepEqual(nodeAt('status.conditions[].status').enum, ['True', 'False', 'Unknown']);
  });

  it("bounds what CEL iterates, so the API server accepts the rules' cost", () => {
    assert.equal(nodeAt('spec.components.ingressGateways').maxItems, 32);
    assert.equal(nodeAt('spec.components.ingressGateways[].name').maxLength, 63);
    assert.equal(nodeAt('spec.revisionTags').maxProperties, 16);
  });
});

describe('the committed CRD files', () => {
  it('are exactly what `make manifests` generates now', () => {
    // GIVEN the files hack/manifests.ts writes
    for (const [path, generated] of Object.entries(crdManifestFiles())) {
      // WHEN compared with the committed copies
      const committed = readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
      // THEN they match; if not, the API changed without `make manifests`
      const difference = firstDifference(committed, generated);
      assert.equal(difference, undefined, `${path} is stale, run make manifests (${difference ?? ''})`);
    }
  });

  it('write the CRD twice (crds/ and config/crd/bases/) and a kustomization naming it', () => {
    const files = crdManifestFiles();
    assert.deepEqual(Object.keys(files).sort(), [
      'config/crd/bases/meshop.dev_meshconfigs.yaml',
      'config/crd/kustomization.yaml',
      'crds/meshconfigs.meshop.dev.yaml',
    ]);
    assert.match(files['config/crd/kustomization.yaml']!, /- bases\/meshop\.dev_meshconfigs\.yaml/);
  });
});
