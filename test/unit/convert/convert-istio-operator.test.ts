// convertIstioOperator: the spec carries over unchanged where MeshConfig accepts it; everything else is removed
// and reported with its path and reason, never silently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateMeshConfig } from '../../../src/api/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { ConversionError, convertIstioOperator } from '../../../src/convert/index.ts';
import { profileNames } from '../../../src/profiles/index.ts';
import { context, iop, testdata } from './iop-builders.ts';
import type { Json } from './iop-builders.ts';

function droppedPaths(doc: unknown): string[] {
  return convertIstioOperator(doc, context).dropped.map((d) => d.path);
}

describe('convertIstioOperator: what carries over', () => {
  it('a full production IstioOperator becomes a valid MeshConfig with the same spec', () => {
    // GIVEN an IstioOperator using every part of the spec, tagged with a catalogued release
    const input = testdata('istio-operator.yaml');
    // WHEN it is converted
    const result = convertIstioOperator(input, context);
    // THEN the spec is unchanged apart from the inferred version, nothing is dropped, and it validates
    assert.deepEqual(result.meshConfig.spec, { version: '1.30.8', ...(input.spec as Json) });
    assert.deepEqual(result.dropped, []);
    assert.deepEqual(result.meshConfig.metadata, { name: 'control-plane' });
    assert.equal(result.meshConfig.apiVersion, 'meshop.dev/v1alpha1');
    assert.equal(result.meshConfig.kind, 'MeshConfig');
    assert.deepEqual(
      validateMeshConfig(result.meshConfig, { profiles: profileNames, versions: knownVersions }),
      [],
    );
  });

  it('labels and user annotations carry over; the name comes from the context, then the IstioOperator', () => {
    // GIVEN an IstioOperator with labels and an annotation of its own
    const metadata = { name: 'edge', labels: { team: 'net' }, annotations: { 'example.com/owner': 'net' } };
    const input = iop({}, { metadata });
    // WHEN it is converted with and without a name of the caller's
    const named = convertIstioOperator(input, { ...context, name: 'primary' });
    const unnamed = convertIstioOperator(input, context);
    // THEN the caller's name wins, the IstioOperator's is the fallback, and labels and annotations are kept
    assert.deepEqual(named.meshConfig.metadata, { ...metadata, name: 'primary' });
    assert.equal(unnamed.meshConfig.metadata.name, 'edge');
    assert.deepEqual(unnamed.dropped, []);
  });

  it('an IstioOperator without a name or a spec becomes the MeshConfig "default" with an empty spec', () => {
    const result = convertIstioOperator(
      { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' },
      context,
    );
    assert.deepEqual(result.meshConfig, {
      apiVersion: 'meshop.dev/v1alpha1',
      kind: 'MeshConfig',
      metadata: { name: 'default' },
      spec: {},
    });
    assert.deepEqual(result.notes, []);
  });
});

describe('convertIstioOperator: what is reported', () => {
  it('an unknown field is dropped and reported with its path and a suggestion', () => {
    // GIVEN a misspelt k8s setting next to a valid one
    const input = iop({ components: { pilot: { k8s: { replicaCount: 2, nodeSelectr: { a: 'b' } } } } });
    // WHEN it is converted
    const result = convertIstioOperator(input, context);
    // THEN only the misspelt field is gone, and the report names it
    assert.deepEqual(result.dropped, [
      {
        path: 'spec.components.pilot.k8s.nodeSelectr',
        reason: 'unknown field (did you mean "nodeSelector"?)',
      },
    ]);
    assert.deepEqual(result.meshConfig.spec, { components: { pilot: { k8s: { replicaCount: 2 } } } });
  });

  it('a value of the wrong type and a broken rule are dropped with the rule as the reason', () => {
    // GIVEN a revision that is no DNS label, a replica count that is no number, and min above max replicas
    const input = iop({
      revision: 'Canary_1',
      components: { pilot: { k8s: { replicaCount: 'two', hpaSpec: { minReplicas: 5, maxReplicas: 3 } } } },
    });
    // WHEN it is converted
    const result = convertIstioOperator(input, context);
    // THEN each is reported in validation's order (shape first, then rules) and only the valid rest remains
    assert.deepEqual(
      result.dropped.map((d) => [d.path, d.reason.replace(/:.*/, '')]),
      [
        ['spec.components.pilot.k8s.replicaCount', 'must be an integer, not string "two"'],
        ['spec.revision', 'must be a DNS-1123 label'],
        ['spec.components.pilot.k8s.hpaSpec.minReplicas', 'must not exceed maxReplicas (3)'],
      ],
    );
    assert.deepEqual(result.meshConfig.spec, {
      components: { pilot: { k8s: { hpaSpec: { maxReplicas: 3 } } } },
    });
  });

  it('reported list paths name the elements as the input numbers them, even after earlier ones are removed', () => {
    // GIVEN gateways where the second has no name and the third repeats the first's name
    const input = iop({
      components: {
        ingressGateways: [{ name: 'a', extra: 1 }, { enabled: true }, { name: 'a' }, { name: 'b' }],
      },
    });
    // WHEN it is converted (the duplicate only shows once the nameless one is gone)
    const result = convertIstioOperator(input, context);
    // THEN every path is the input's, and only the good gateways stay
    assert.deepEqual(result.dropped, [
      { path: 'spec.components.ingressGateways[0].extra', reason: 'unknown field' },
      { path: 'spec.components.ingressGateways[1]', reason: 'name: required field is missing' },
      { path: 'spec.components.ingressGateways[2].name', reason: 'duplicate gateway "a"' },
      { path: 'spec.components.ingressGateways[2]', reason: 'name: required, and dropped above' },
    ]);
    assert.deepEqual(result.meshConfig.spec, {
      components: { ingressGateways: [{ name: 'a' }, { name: 'b' }] },
    });
  });

  it('an unknown profile is dropped, naming the known ones', () => {
    const result = convertIstioOperator(iop({ profile: 'my-profile.yaml' }), context);
    assert.equal(result.dropped.length, 1);
    assert.equal(result.dropped[0]!.path, 'spec.profile');
    assert.match(result.dropped[0]!.reason, /^unknown profile "my-profile.yaml" \(known: .*demo/);
  });

  it('the namespace, server bookkeeping and status are notes; operator-only metadata is dropped', () => {
    // GIVEN an IstioOperator as read back from a cluster
    const result = convertIstioOperator(testdata('legacy-istio-operator.yaml'), context);
    // THEN the notes say what was left out without losing configuration
    assert.deepEqual(result.notes, [
      'metadata.namespace "istio-system" not carried over: a MeshConfig is cluster-scoped',
      'not carried over (kept by the API server): metadata.creationTimestamp, metadata.resourceVersion, metadata.uid',
      "status not carried over: it is the Istio operator's view; meshop reports the MeshConfig's own",
      'spec.version set to "1.31.0": spec.tag "1.31.0" is that release\'s',
    ]);
    // AND the dropped list names what the Istio operator alone used and the fields Istio has since removed
    assert.deepEqual(
      result.dropped.map((d) => d.path),
      [
        'metadata.annotations["install.istio.io/ignoreReconcile"]',
        'spec.addonComponents',
        'spec.components.telemetry',
        'spec.components.ingressGateways[0].k8s.hpaSpec.minReplicas',
      ],
    );
    assert.deepEqual(result.meshConfig.metadata, {
      name: 'installed-state',
      labels: { 'app.kubernetes.io/part-of': 'mesh' },
      annotations: { 'owner.example.com/team': 'platform' },
    });
    assert.equal(result.meshConfig.status, undefined);
  });

  it('finalizers, non-string labels and unknown top-level fields are dropped', () => {
    const input = iop({}, { metadata: { finalizers: ['x'], labels: { replicas: 3 } }, extra: true });
    assert.deepEqual(droppedPaths(input), ['extra', 'metadata.finalizers', 'metadata.labels.replicas']);
  });
});

describe('convertIstioOperator: the version', () => {
  it('a tag that is a catalogued release sets spec.version, with a note', () => {
    const result = convertIstioOperator(iop({ tag: '1.30.8' }), context);
    assert.deepEqual(result.meshConfig.spec, { version: '1.30.8', tag: '1.30.8' });
    assert.ok(result.notes.includes('spec.version set to "1.30.8": spec.tag "1.30.8" is that release\'s'));
  });

  it('a tag of no catalogued release, or a spec that names its version, is left alone', () => {
    assert.deepEqual(convertIstioOperator(iop({ tag: '1.22.0' }), context).meshConfig.spec, {
      tag: '1.22.0',
    });
    const pinned = convertIstioOperator(iop({ tag: '1.30.8', version: '1.31.0' }), context);
    assert.deepEqual(pinned.meshConfig.spec, { tag: '1.30.8', version: '1.31.0' });
  });
});

describe('convertIstioOperator: refused input', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'a Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      /^input: not an IstioOperator .*kind "Deployment"/,
    ],
    ['a MeshConfig', { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig' }, /already a MeshConfig/],
    ['a list', [1, 2], /^input: not an IstioOperator .*found no object/],
    [
      'an infinite number',
      iop({ values: { x: Infinity } }),
      /^input\.spec\.values\.x: Infinity cannot be part/,
    ],
  ];
  for (const [what, doc, message] of cases) {
    it(`${what} is refused with a ConversionError`, () => {
      assert.throws(
        () => convertIstioOperator(doc, context),
        (err: unknown) => {
          assert.ok(err instanceof ConversionError);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }

  it('a name that cannot name a MeshConfig is refused, not dropped', () => {
    assert.throws(
      () => convertIstioOperator(iop(), { ...context, name: 'Not_A_Name' }),
      /^ConversionError: cannot make a MeshConfig: metadata\.name: must be a DNS-1123 subdomain/,
    );
  });
});
