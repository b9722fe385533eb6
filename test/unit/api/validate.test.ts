// validateMeshConfig: every bad input is reported with the path of the field at fault and the rule it breaks;
// good input, including an IstioOperator spec pasted unchanged, passes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatValidationError, validateMeshConfig } from '../../../src/api/index.ts';
import {
  components,
  context,
  gateway,
  ingress,
  mesh,
  pastedIstioOperatorSpec,
  pilotK8s,
} from './mesh-config-builders.ts';
import type { Json } from './mesh-config-builders.ts';

interface BadCase {
  name: string;
  input: unknown;
  /** The paths of all errors, in order. */
  paths: string[];
  /** Matches the first error's message. */
  rule: RegExp;
}

const name64 = 'r'.repeat(64);

const badSpecs: [string, Json, string[], RegExp][] = [
  // Unknown fields, at every depth.
  [
    'misspelt top-level field',
    { compnents: {} },
    ['spec.compnents'],
    /^unknown field \(did you mean "components"\?\)$/,
  ],
  [
    'unknown component',
    components({ telemetry: { enabled: true } }),
    ['spec.components.telemetry'],
    /unknown/,
  ],
  [
    'unknown component field',
    components({ pilot: { replicas: 2 } }),
    ['spec.components.pilot.replicas'],
    /unknown/,
  ],
  ['unknown k8s field', pilotK8s({ replicas: 2 }), ['spec.components.pilot.k8s.replicas'], /unknown/],
  [
    'gateway "labels" for "label"',
    components({ ingressGateways: [gateway('in', { labels: {} })] }),
    ['spec.components.ingressGateways[0].labels'],
    /unknown/,
  ],
  [
    'base takes no namespace',
    components({ base: { namespace: 'istio-system' } }),
    ['spec.components.base.namespace'],
    /unknown/,
  ],
  [
    'overlay "patch" for "patches"',
    pilotK8s({ overlays: [{ kind: 'Deployment', name: 'istiod', patch: [] }] }),
    ['spec.components.pilot.k8s.overlays[0].patch'],
    /unknown/,
  ],
  ['unknown addon', { addons: { loki: { enabled: true } } }, ['spec.addons.loki'], /unknown/],
  [
    'unknown resources key',
    pilotK8s({ resources: { request: {} } }),
    ['spec.components.pilot.k8s.resources.request'],
    /unknown/,
  ],
  // Enums.
  [
    'imagePullPolicy',
    pilotK8s({ imagePullPolicy: 'Sometimes' }),
    ['spec.components.pilot.k8s.imagePullPolicy'],
    /one of Always, IfNotPresent, Never/,
  ],
  [
    'updateStrategy.type',
    { updateStrategy: { type: 'BlueGreen' } },
    ['spec.updateStrategy.type'],
    /one of InPlace, RevisionBased, not "BlueGreen"/,
  ],
  [
    'k8s.strategy.type',
    pilotK8s({ strategy: { type: 'Canary' } }),
    ['spec.components.pilot.k8s.strategy.type'],
    /one of Recreate, RollingUpdate/,
  ],
  // Names.
  ['revision with dots', { revision: '1.30.8' }, ['spec.revision'], /DNS-1123 label.*not "1\.30\.8"/],
  ['revision too long', { revision: name64 }, ['spec.revision'], /at most 63 characters/],
  ['upper-case namespace', { namespace: 'Istio-System' }, ['spec.namespace'], /DNS-1123 label/],
  [
    'component namespace',
    components({ cni: { namespace: 'kube_system' } }),
    ['spec.components.cni.namespace'],
    /DNS-1123/,
  ],
  ['gateway name', ingress('Ingress'), ['spec.components.ingressGateways[0].name'], /DNS-1123 label/],
  [
    'gateway without a name',
    components({ egressGateways: [{ enabled: true }] }),
    ['spec.components.egressGateways[0].name'],
    /required/,
  ],
  [
    'revision tag name',
    { revisionTags: { Prod: 'r1' } },
    ['spec.revisionTags.Prod'],
    /key must be a DNS-1123 label/,
  ],
  ['revision tag target', { revisionTags: { prod: 'R_1' } }, ['spec.revisionTags.prod'], /DNS-1123 label/],
  ['image tag', { tag: '-latest' }, ['spec.tag'], /image tag/],
  ['component image tag', components({ pilot: { tag: 'a b' } }), ['spec.components.pilot.tag'], /image tag/],
  // Duplicates and cross-field rules.
  [
    'duplicate ingress gateway',
    ingress('istio-ingressgateway', 'istio-ingressgateway'),
    ['spec.components.ingressGateways[1].name'],
    /^duplicate gateway "istio-ingressgateway"$/,
  ],
  [
    'duplicate egress gateway',
    components({ egressGateways: [gateway('a'), gateway('b'), gateway('a')] }),
    ['spec.components.egressGateways[2].name'],
    /duplicate gateway "a"/,
  ],
  [
    'too many gateways',
    ingress(...Array.from({ length: 33 }, (_, i) => `gw-${i}`)),
    ['spec.components.ingressGateways'],
    /at most 32 items/,
  ],
  [
    'tag named like the revision',
    { revision: 'canary', revisionTags: { canary: 'canary' } },
    ['spec.revisionTags.canary'],
    /name of revision "canary"/,
  ],
  [
    'migrateNamespaces with InPlace',
    { updateStrategy: { type: 'InPlace', migrateNamespaces: true } },
    ['spec.updateStrategy.migrateNamespaces'],
    /needs type RevisionBased/,
  ],
  [
    'migrateNamespaces with the default strategy',
    { updateStrategy: { migrateNamespaces: true } },
    ['spec.updateStrategy.migrateNamespaces'],
    /RevisionBased/,
  ],
  [
    'jaeger and zipkin together',
    { addons: { jaeger: { enabled: true }, zipkin: { enabled: true } } },
    ['spec.addons.zipkin.enabled'],
    /conflicts with addons.jaeger/,
  ],
  [
    'hpa bounds crossed',
    pilotK8s({ hpaSpec: { minReplicas: 5, maxReplicas: 2 } }),
    ['spec.components.pilot.k8s.hpaSpec.minReplicas'],
    /must not exceed maxReplicas \(2\)/,
  ],
  // Types and ranges.
  [
    'enabled as a string',
    components({ pilot: { enabled: 'yes' } }),
    ['spec.components.pilot.enabled'],
    /must be true or false, not string "yes"/,
  ],
  [
    'replicaCount as a string',
    pilotK8s({ replicaCount: '2' }),
    ['spec.components.pilot.k8s.replicaCount'],
    /must be an integer/,
  ],
  [
    'negative replicaCount',
    pilotK8s({ replicaCount: -1 }),
    ['spec.components.pilot.k8s.replicaCount'],
    /at least 0/,
  ],
  ['fractional tag', { tag: 1.5 }, ['spec.tag'], /an integer or a string/],
  [
    'service port out of range',
    pilotK8s({ service: { ports: [{ port: 70000 }] } }),
    ['spec.components.pilot.k8s.service.ports[0].port'],
    /at most 65535/,
  ],
  [
    'env without a name',
    pilotK8s({ env: [{ value: 'x' }] }),
    ['spec.components.pilot.k8s.env[0].name'],
    /required/,
  ],
  [
    'overlay without a kind',
    pilotK8s({ overlays: [{ name: 'istiod' }] }),
    ['spec.components.pilot.k8s.overlays[0].kind'],
    /required/,
  ],
  [
    'overlay renaming its object',
    pilotK8s({
      overlays: [
        { kind: 'Service', name: 'istiod', patches: [{ path: 'metadata.name', value: 'kube-dns' }] },
      ],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /may not change an object's kind, apiVersion, name or namespace/,
  ],
  [
    'overlay moving its object to another namespace',
    pilotK8s({
      overlays: [{ kind: 'Service', name: 'istiod', patches: [{ path: 'metadata.namespace', value: 'x' }] }],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /may not change/,
  ],
  [
    'overlay changing the kind',
    pilotK8s({
      overlays: [{ kind: 'Role', name: 'istiod', patches: [{ path: 'kind', value: 'ClusterRole' }] }],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /may not change/,
  ],
  [
    'overlay widening RBAC rules',
    pilotK8s({
      overlays: [
        { kind: 'ClusterRole', name: 'istiod', patches: [{ path: 'rules[0].verbs', value: ['*'] }] },
      ],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /nor RBAC rules, roleRef or subjects/,
  ],
  [
    'overlay adding a subject to a binding',
    pilotK8s({
      overlays: [
        { kind: 'ClusterRoleBinding', name: 'istiod', patches: [{ path: 'subjects.[1]', value: {} }] },
      ],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /may not change/,
  ],
  [
    'overlay pointing a binding at another role',
    pilotK8s({
      overlays: [
        { kind: 'RoleBinding', name: 'istiod', patches: [{ path: 'roleRef.name', value: 'admin' }] },
      ],
    }),
    ['spec.components.pilot.k8s.overlays[0].patches[0].path'],
    /may not change/,
  ],
  [
    'annotation value not a string',
    pilotK8s({ podAnnotations: { 'sidecar.istio.io/inject': false } }),
    ['spec.components.pilot.k8s.podAnnotations["sidecar.istio.io/inject"]'],
    /must be a string, not boolean false/,
  ],
  [
    'gateways as a map',
    components({ ingressGateways: { name: 'a' } }),
    ['spec.components.ingressGateways'],
    /must be a list, not an object/,
  ],
  [
    'nodeSelector as a list',
    pilotK8s({ nodeSelector: ['a'] }),
    ['spec.components.pilot.k8s.nodeSelector'],
    /must be an object/,
  ],
  ['values as a string', { values: 'global.hub=x' }, ['spec.values'], /must be an object/],
  [
    'removeCRDs as a string',
    { teardown: { removeCRDs: 'no' } },
    ['spec.teardown.removeCRDs'],
    /true or false/,
  ],
  [
    'compatibilityVersion with a patch',
    { compatibilityVersion: '1.28.1' },
    ['spec.compatibilityVersion'],
    /must match/,
  ],
  [
    'grace period below zero',
    { updateStrategy: { inactiveRevisionDeletionGracePeriodSeconds: -5 } },
    ['spec.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds'],
    /at least 0/,
  ],
  [
    'restartWorkloads as the old boolean',
    { updateStrategy: { restartWorkloads: true } },
    ['spec.updateStrategy.restartWorkloads'],
    /object/,
  ],
  [
    'batch size zero',
    { updateStrategy: { restartWorkloads: { enabled: true, batchSize: 0 } } },
    ['spec.updateStrategy.restartWorkloads.batchSize'],
    /at least 1/,
  ],
  [
    'a pause that is no duration',
    { updateStrategy: { restartWorkloads: { pauseBetweenBatches: '5 minutes' } } },
    ['spec.updateStrategy.restartWorkloads.pauseBetweenBatches'],
    /must match/,
  ],
  [
    'a window without its end',
    { updateStrategy: { restartWorkloads: { window: { start: '25:00' } } } },
    ['spec.updateStrategy.restartWorkloads.window.end', 'spec.updateStrategy.restartWorkloads.window.start'],
    /./,
  ],
  // Catalog.
  [
    'unknown profile',
    { profile: 'production' },
    ['spec.profile'],
    /^unknown profile "production" \(known: ambient, default, /,
  ],
  [
    'unknown version',
    { version: '1.22.0' },
    ['spec.version'],
    /^unknown version "1\.22\.0" \(known: 1\.29\.4, 1\.30\.8\)$/,
  ],
  ['version that is no release', { version: 'latest' }, ['spec.version', 'spec.version'], /must match/],
];

const badObjects: BadCase[] = [
  ...badSpecs.map(([name, spec, paths, rule]) => ({ name, input: mesh(spec), paths, rule })),
  { name: 'not an object', input: 'spec: {}', paths: ['(root)'], rule: /must be an object/ },
  { name: 'spec as a list', input: mesh([]), paths: ['spec'], rule: /must be an object, not a list/ },
  {
    name: 'an IstioOperator itself',
    input: { ...mesh(), apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator' },
    paths: ['apiVersion', 'kind'],
    rule: /must be meshop.dev\/v1alpha1/,
  },
  { name: 'no name', input: mesh({}, { metadata: {} }), paths: ['metadata.name'], rule: /required/ },
  {
    name: 'name too long for a label',
    input: mesh({}, { metadata: { name: name64 } }),
    paths: ['metadata.name'],
    rule: /at most 63/,
  },
  {
    name: 'unknown top-level field',
    input: mesh({}, { specs: {} }),
    paths: ['specs'],
    rule: /unknown field/,
  },
  {
    name: 'bad condition status',
    input: mesh(
      {},
      {
        status: {
          conditions: [{ type: 'Ready', status: 'Yes', reason: 'R', message: '', lastTransitionTime: 't' }],
        },
      },
    ),
    paths: ['status.conditions[0].status'],
    rule: /one of True, False, Unknown/,
  },
];

describe('validateMeshConfig rejects bad input, naming the field', () => {
  it('has at least 30 bad inputs', () => {
    assert.ok(badObjects.length >= 30, `only ${badObjects.length} bad inputs`);
  });

  for (const bad of badObjects) {
    it(bad.name, () => {
      // GIVEN a MeshConfig with one mistake
      // WHEN it is validated
      const errors = validateMeshConfig(bad.input, context);
      // THEN every error names the faulty field, and the first states the rule
      assert.deepEqual(
        errors.map((e) => e.path),
        bad.paths,
        errors.map(formatValidationError).join('\n'),
      );
      assert.match(errors[0]!.message, bad.rule);
    });
  }

  it('prints an error as "path: rule"', () => {
    // GIVEN two ingress gateways of one name
    const errors = validateMeshConfig(mesh(ingress('istio-ingressgateway', 'istio-ingressgateway')), context);
    // THEN the message reads as the issue promises
    assert.deepEqual(errors.map(formatValidationError), [
      'spec.components.ingressGateways[1].name: duplicate gateway "istio-ingressgateway"',
    ]);
  });

  it('reports every error at once, not just the first', () => {
    const errors = validateMeshConfig(
      mesh({ revision: 'A', profile: 'nope', tag: '-x', compnents: {} }),
      context,
    );
    assert.deepEqual(errors.map((e) => e.path).sort(), [
      'spec.compnents',
      'spec.profile',
      'spec.revision',
      'spec.tag',
    ]);
  });

  it('checks cross-field rules only once the fields have the right shape', () => {
    // GIVEN duplicate gateways, one of which also has an unknown field
    const spec = components({ ingressGateways: [gateway('a'), gateway('a', { replicas: 2 })] });
    // THEN only the shape error is reported: the rule on the list waits until the list is well formed
    assert.deepEqual(
      validateMeshConfig(mesh(spec), context).map((e) => e.path),
      ['spec.components.ingressGateways[1].replicas'],
    );
  });
});

describe('validateMeshConfig accepts good input', () => {
  const good: [string, unknown][] = [
    ['an empty spec', mesh({})],
    ['no spec at all', { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'm' } }],
    ['an IstioOperator spec pasted unchanged', mesh(pastedIstioOperatorSpec())],
    [
      'every meshop field',
      mesh({
        profile: 'ambient',
        version: '1.30.8',
        revision: '1-30-8',
        updateStrategy: {
          type: 'RevisionBased',
          inactiveRevisionDeletionGracePeriodSeconds: 30,
          migrateNamespaces: true,
          restartWorkloads: {
            enabled: true,
            batchSize: 3,
            pauseBetweenBatches: '1m30s',
            maxUnavailable: 1,
            batchTimeout: '5m',
            excludeNamespaces: ['kube-system'],
            window: { start: '22:00', end: '04:00' },
          },
        },
        revisionTags: { default: '1-30-8', prod: '1-30-8', canary: '1-31-0' },
        addons: {
          prometheus: { enabled: true },
          grafana: { enabled: true },
          jaeger: { enabled: true, k8s: { replicaCount: 1 } },
        },
        teardown: { removeCRDs: true, force: true },
      }),
    ],
    ['a numeric tag, as Istio allows', mesh({ tag: 1 })],
    ['nulls, which remove profile settings', mesh({ values: null, components: { ingressGateways: null } })],
    [
      'a service port with only a name (the rest is kept as written)',
      mesh(pilotK8s({ service: { ports: [{ name: 'http', port: 80 }] } })),
    ],
    [
      'same gateway name in the ingress and egress lists',
      mesh(components({ ingressGateways: [gateway('gw')], egressGateways: [gateway('gw')] })),
    ],
    [
      'a status as the operator writes it',
      mesh(
        {},
        {
          status: {
            observedGeneration: 3,
            conditions: [
              {
                type: 'Ready',
                status: 'True',
                reason: 'AllHealthy',
                message: '',
                lastTransitionTime: '2026-01-01T00:00:00Z',
              },
            ],
            components: [{ name: 'pilot', revision: '1-30-8', phase: 'Healthy' }],
            activeRevision: '1-30-8',
            revisionsReady: '1/1',
            revisions: [
              {
                name: '1-30-8',
                version: '1.30.8',
                ready: true,
                inUse: {
                  status: 'True',
                  reason: 'Referenced',
                  message: 'namespaces: a, b',
                  tags: ['default'],
                  namespaces: ['a', 'b'],
                  pods: 10,
                  gateways: ['istio-system/istio-ingressgateway'],
                },
                since: '2026-01-01T00:00:00Z',
              },
            ],
            tags: { default: '1-30-8' },
            migration: { from: ['1-29-0'], to: '1-30-8', done: 2, total: 5, current: ['Deployment a/b'] },
          },
        },
      ),
    ],
  ];

  for (const [name, input] of good) {
    it(name, () => {
      assert.deepEqual(validateMeshConfig(input, context).map(formatValidationError), []);
    });
  }
});
