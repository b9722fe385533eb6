// `MeshConfig.spec`: every IstioOperator spec field, unchanged, plus what meshop adds (the Istio release,
// how upgrades roll out, revision tags, addons, what deletion removes).
import { componentsSchema } from './components.ts';
import { durationPattern } from './duration.ts';
import { kubernetesResourcesSchema } from './kubernetes-resources.ts';
import { dnsLabel, dnsLabelKeys, dnsLabelMaxLength, imageTag } from './names.ts';
import * as s from './schema/index.ts';

export const UpdateStrategyType = { InPlace: 'InPlace', RevisionBased: 'RevisionBased' } as const;
export type UpdateStrategyType = (typeof UpdateStrategyType)[keyof typeof UpdateStrategyType];

const needsRevisionBased = 'needs type RevisionBased: with InPlace there is only one revision';

const migrateOnlyWhenRevisionBased: s.Invariant<{ type?: UpdateStrategyType; migrateNamespaces?: boolean }> =
  {
    rule: "!self.?migrateNamespaces.orValue(false) || self.?type.orValue('') == 'RevisionBased'",
    message: `migrateNamespaces ${needsRevisionBased}`,
    fieldPath: '.migrateNamespaces',
    check: (value, path) =>
      value.migrateNamespaces === true && value.type !== UpdateStrategyType.RevisionBased
        ? [s.validationError(`${path}.migrateNamespaces`, needsRevisionBased)]
        : [],
  };

const clockTimePattern = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

const restartWindowSchema = s.object(
  'When restarts may start, in UTC; a batch is never started outside it (a running one finishes). ' +
    'start after end spans midnight.',
  {
    start: s.string('Opening time, HH:MM UTC.', { pattern: clockTimePattern, maxLength: 5 }),
    end: s.string('Closing time, HH:MM UTC.', { pattern: clockTimePattern, maxLength: 5 }),
  },
  { required: ['start', 'end'] },
);

const restartWorkloadsSchema = s.object(
  'Restart the Deployments, StatefulSets and DaemonSets whose proxies still run an old revision, once the ' +
    'new one is ready, so they are re-injected. Restarts patch a pod-template annotation, so each rollout ' +
    'honours its own strategy and PodDisruptionBudgets. Bare Pods and Jobs are reported, never deleted.',
  {
    enabled: s.boolean('Whether workloads are restarted. Unset: false.'),
    batchSize: s.integer('Workloads restarted together. Unset: 1.', { minimum: 1, maximum: 1000 }),
    pauseBetweenBatches: s.string(
      'Wait after a batch is ready before the next starts, e.g. 30s. Unset: 0s.',
      {
        pattern: durationPattern,
        maxLength: 32,
      },
    ),
    maxUnavailable: s.integer(
      'Workloads of the previous batch that may still be rolling out when the next batch starts. Unset: 0.',
      { minimum: 0, maximum: 1000 },
    ),
    batchTimeout: s.string(
      'How long a batch may take to become ready before the migration stops as Degraded. Unset: 10m.',
      { pattern: durationPattern, maxLength: 32 },
    ),
    excludeNamespaces: s.list(
      'Namespaces whose workloads are never restarted.',
      s.string('Namespace.', { maxLength: dnsLabelMaxLength }),
      {
        maxItems: 256,
      },
    ),
    window: restartWindowSchema,
  },
);

const updateStrategySchema = s.object(
  'How a change of version reaches the cluster.',
  {
    type: s.stringEnum(
      Object.values(UpdateStrategyType),
      'InPlace: one control plane, upgraded by a rolling update of istiod, gateways following. ' +
        'RevisionBased: each version runs as a new revision beside the old one, which is removed once ' +
        'nothing uses it. Unset: InPlace.',
    ),
    inactiveRevisionDeletionGracePeriodSeconds: s.integer(
      'Seconds an old revision is kept after no namespace, tag, pod or gateway uses it any more. Unset: 30.',
      { minimum: 0, format: 'int64' },
    ),
    migrateNamespaces: s.boolean(
      'RevisionBased: relabel namespaces that name the old revision directly (istio.io/rev) to the new one ' +
        'once it is ready. Namespaces that use a revision tag follow the tag.',
    ),
    restartWorkloads: restartWorkloadsSchema,
  },
  { rules: [migrateOnlyWhenRevisionBased] },
);

function addonSchema(what: string) {
  return s.object(`${what}.`, {
    enabled: s.boolean('Whether the addon is installed. Unset: not installed.'),
    k8s: kubernetesResourcesSchema,
  });
}

const addonsSchema = s.object('Observability tools installed next to the mesh and wired to it.', {
  prometheus: addonSchema('Prometheus, scraping istiod and the proxies'),
  grafana: addonSchema("Grafana with Istio's dashboards, reading from the prometheus addon"),
  kiali: addonSchema('Kiali, the mesh console'),
  jaeger: addonSchema('Jaeger, receiving traces from the proxies'),
  zipkin: addonSchema('Zipkin, receiving traces from the proxies'),
});

const teardownSchema = s.object('What deleting this MeshConfig removes.', {
  removeCRDs: s.boolean(
    "Also delete Istio's CRDs, and with them every Istio resource users created. Unset: false, users' " +
      'configuration survives.',
  ),
  force: s.boolean(
    'Tear down even while namespaces, pods or gateways still use a revision (their proxies lose their ' +
      'control plane). Unset: false, deletion waits and reports TeardownBlocked.',
  ),
});

// Both revision tags and revisions are values of the istio.io/rev label, so a namespace label could not tell
// which one it means.
const tagNotNamedLikeRevision: s.Invariant<{ revision?: string; revisionTags?: Record<string, string> }> = {
  rule: '!has(self.revision) || !has(self.revisionTags) || !(self.revision in self.revisionTags)',
  message: 'a revision tag must not have the name of the revision',
  fieldPath: '.revisionTags',
  check: ({ revision, revisionTags }, path) =>
    revision !== undefined && revisionTags && Object.hasOwn(revisionTags, revision)
      ? [
          s.validationError(
            s.childPath(`${path}.revisionTags`, revision),
            `tag has the name of revision "${revision}"`,
          ),
        ]
      : [],
};

// Both addons serve the `zipkin` and `tracing` Services in the control-plane namespace.
const oneTracingAddon: s.Invariant<{
  addons?: { jaeger?: { enabled?: boolean }; zipkin?: { enabled?: boolean } };
}> = {
  rule: '!(self.?addons.?jaeger.?enabled.orValue(false) && self.?addons.?zipkin.?enabled.orValue(false))',
  message: 'enable at most one of the jaeger and zipkin addons: both serve the zipkin and tracing Services',
  fieldPath: '.addons.zipkin.enabled',
  check: ({ addons }, path) =>
    addons?.jaeger?.enabled === true && addons.zipkin?.enabled === true
      ? [
          s.validationError(
            `${path}.addons.zipkin.enabled`,
            'conflicts with addons.jaeger: both serve the zipkin and tracing Services',
          ),
        ]
      : [],
};

export const meshConfigSpecSchema = s.object(
  'The desired mesh. Every IstioOperator spec field means what it means to istioctl; the others are ' +
    "meshop's own.",
  {
    profile: s.string(
      'Built-in profile the spec is layered over (default, demo, minimal, ambient, ...). Unset: default.',
      { maxLength: dnsLabelMaxLength },
    ),
    installPackagePath: s.string(
      'IstioOperator only: a directory of charts and profiles. Accepted, not read.',
    ),
    hub: s.string('Image registry, e.g. docker.io/istio. Unset: the one catalogued for spec.version.', {
      maxLength: 255,
    }),
    tag: s.intOrString('Image tag. Unset: the one catalogued for spec.version.', { rules: [imageTag] }),
    namespace: s.string('Namespace of the control plane. Unset: istio-system.', {
      maxLength: dnsLabelMaxLength,
      rules: [dnsLabel],
    }),
    revision: s.string(
      'Control-plane revision: names istiod-<revision> and is the istio.io/rev label value workloads ' +
        'select. A DNS-1123 label, so 1-30-0 rather than 1.30.0.',
      { maxLength: dnsLabelMaxLength, rules: [dnsLabel] },
    ),
    compatibilityVersion: s.string(
      'Make Istio behave like an older minor release (major.minor, e.g. 1.28).',
      { pattern: '^[0-9]+\\.[0-9]+$', maxLength: 16 },
    ),
    meshConfig: s.freeForm('Runtime mesh configuration (Istio MeshConfig), merged into values.meshConfig.'),
    components: componentsSchema,
    values: s.freeForm("Istio's Helm values, layered over the profile's."),
    unvalidatedValues: s.freeForm('Helm values merged in after validation, for custom injection templates.'),
    version: s.string('Istio release to run, e.g. 1.30.8. Unset: the newest release meshop supports.', {
      pattern: '^[0-9]+\\.[0-9]+(\\.[0-9]+)?(-[0-9A-Za-z.-]+)?$',
      maxLength: 64,
    }),
    updateStrategy: updateStrategySchema,
    revisionTags: s.map(
      'Revision tags: tag name to revision. Namespaces labelled istio.io/rev=<tag> are injected by that ' +
        'revision; the tag "default" also serves istio-injection=enabled.',
      s.string('Revision the tag points at.', { maxLength: dnsLabelMaxLength, rules: [dnsLabel] }),
      { maxProperties: 16, rules: [dnsLabelKeys] },
    ),
    addons: addonsSchema,
    teardown: teardownSchema,
  },
  { rules: [tagNotNamedLikeRevision, oneTracingAddon] },
);
