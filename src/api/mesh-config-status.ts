// `MeshConfig.status`: what the operator observed, written by it alone (status subresource). Conditions follow
// the Kubernetes conventions so `kubectl wait --for=condition=Ready mesh/NAME` works.
import * as s from './schema/index.ts';

export const ConditionType = {
  Reconciled: 'Reconciled',
  Ready: 'Ready',
  Degraded: 'Degraded',
  Upgrading: 'Upgrading',
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const ConditionStatus = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

export const ComponentPhase = {
  Healthy: 'Healthy',
  Reconciling: 'Reconciling',
  Error: 'Error',
  Removed: 'Removed',
} as const;
export type ComponentPhase = (typeof ComponentPhase)[keyof typeof ComponentPhase];

/** Why a revision is or is not in use; the reasons operators and scripts may branch on. */
export const InUseReason = {
  Referenced: 'Referenced',
  Unreferenced: 'Unreferenced',
  CheckFailed: 'CheckFailed',
} as const;
export type InUseReason = (typeof InUseReason)[keyof typeof InUseReason];

/** Condition reasons with a meaning of their own (besides Applied, ComponentsReady...). */
export const ConditionReason = {
  VersionSkew: 'VersionSkew',
  TeardownBlocked: 'TeardownBlocked',
  TagNamedLikeRevision: 'TagNamedLikeRevision',
  MigrationBlocked: 'MigrationBlocked',
  Migrating: 'Migrating',
  ManualRestartRequired: 'ManualRestartRequired',
} as const;

/** metav1.Condition's message limit (characters), which the CRD repeats. */
export const conditionMessageLimit = 32768;

/**
 * A message cut to `limit` characters, marked as cut: a status write carrying a longer one (a render error that
 * quotes a large overlay, say) would be refused as a whole, and the condition would never reach the user.
 */
export function capMessage(message: string, limit: number): string {
  // Code points, as the API server counts maxLength (Go runes), not UTF-16 units.
  const chars = Array.from(message);
  if (chars.length <= limit) return message;
  const marker = ' ... (cut)';
  return chars.slice(0, limit - marker.length).join('') + marker;
}

// metav1.Condition, with the limits the API machinery puts on it.
const conditionSchema = s.object(
  'An observation of one aspect of the mesh (metav1.Condition).',
  {
    type: s.string('Reconciled, Ready, Degraded or Upgrading.', {
      maxLength: 316,
      pattern:
        '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: s.stringEnum(Object.values(ConditionStatus), 'True, False or Unknown.'),
    observedGeneration: s.integer('metadata.generation the condition was computed from.', {
      minimum: 0,
      format: 'int64',
    }),
    lastTransitionTime: s.string('When status last changed.', { format: 'date-time' }),
    reason: s.string('Why, in one CamelCase word.', {
      minLength: 1,
      maxLength: 1024,
      pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
    }),
    message: s.string('Details for a human, e.g. the field path of an invalid spec.', {
      maxLength: conditionMessageLimit,
    }),
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

const componentStatusSchema = s.object(
  'State of one rendered component.',
  {
    name: s.string('Component name, e.g. pilot or a gateway name.'),
    revision: s.string('Revision the component belongs to; empty for shared components.'),
    phase: s.stringEnum(Object.values(ComponentPhase), 'Healthy, Reconciling, Error or Removed.'),
    message: s.string('What is wrong or in progress, when phase is not Healthy.'),
  },
  { required: ['name', 'phase'] },
);

const inUseSchema = s.object(
  'Whether anything still uses the revision. Unknown (a failed check) never deletes anything.',
  {
    status: s.stringEnum(Object.values(ConditionStatus), 'True, False or Unknown.'),
    reason: s.stringEnum(Object.values(InUseReason), 'Referenced, Unreferenced or CheckFailed.'),
    message: s.string('What holds it, or why the check failed.', { maxLength: 4096 }),
    tags: s.list('Revision tags pointing at it.', s.string('Tag.')),
    namespaces: s.list(
      'Namespaces that refer to it (directly, through a tag or istio-injection), sorted; ' + 'at most 50.',
      s.string('Namespace.'),
      { maxItems: 50 },
    ),
    pods: s.integer('Running pods whose proxy it injected or that ask for it.', { minimum: 0 }),
    gateways: s.list(
      'Gateway Deployments of the mesh injected by it (namespace/name).',
      s.string('Gateway.'),
    ),
  },
  { required: ['status', 'reason'] },
);

const revisionStatusSchema = s.object(
  'One control-plane revision of this mesh on the cluster.',
  {
    name: s.string('Revision name (istio.io/rev value); "default" for an unrevisioned control plane.'),
    version: s.string('Istio release the revision runs.'),
    ready: s.boolean('Whether its istiod is Available.'),
    inUse: inUseSchema,
    since: s.string('When inUse last changed; an unused revision is removed a grace period after this.', {
      format: 'date-time',
    }),
  },
  { required: ['name'] },
);

const migrationSchema = s.object(
  'Progress of moving workloads from an old revision to the active one (updateStrategy.restartWorkloads).',
  {
    from: s.list('Revisions workloads are moved off.', s.string('Revision.')),
    to: s.string('Revision they move to.'),
    done: s.integer('Workloads restarted and ready.', { minimum: 0 }),
    total: s.integer('Workloads to restart in all (done, current and waiting).', { minimum: 0 }),
    current: s.list('The batch rolling out now (Kind namespace/name).', s.string('Workload.')),
    batchStarted: s.string('When the current batch was started.', { format: 'date-time' }),
    nextBatchAt: s.string('The next batch starts no earlier than this (pauseBetweenBatches).', {
      format: 'date-time',
    }),
    blockedBy: s.string('The workload that did not become ready in time; nothing more is restarted.'),
    manualRestartRequired: s.list(
      'Bare Pods and Jobs still running an old proxy: meshop never deletes them (namespace/name, at most 50).',
      s.string('Pod.'),
      { maxItems: 50 },
    ),
  },
);

export const meshConfigStatusSchema = s.object('What the operator observed. Written by the operator only.', {
  observedGeneration: s.integer('metadata.generation of the spec last reconciled.', {
    minimum: 0,
    format: 'int64',
  }),
  conditions: s.list('Reconciled, Ready, Degraded and Upgrading.', conditionSchema, { mapKeys: ['type'] }),
  components: s.list('One entry per rendered component and revision.', componentStatusSchema),
  activeRevision: s.string('The revision that serves the spec once it is ready.'),
  revisions: s.list('Control-plane revisions of this mesh on the cluster.', revisionStatusSchema),
  revisionsReady: s.string('Ready revisions over all revisions, e.g. 1/2 (for kubectl get).'),
  revisionsInUse: s.string('The revisions something still uses, comma-separated (for kubectl get).'),
  tags: s.map('Revision tags as applied: tag name to revision.', s.string('Revision.')),
  migration: migrationSchema,
  inventory: s.list(
    'Every object this mesh applied (Kind namespace/name), recorded before it is written: prune and teardown ' +
      'delete only these, never an object that merely carries the labels.',
    s.string('Kind namespace/name, or Kind name for cluster-scoped objects.', { maxLength: 400 }),
    { maxItems: 10000 },
  ),
  adopted: s.list(
    'Objects this mesh took over from someone else (annotation meshop.dev/adopt-existing, or a revision tag ' +
      'istioctl made), as in inventory: prune and teardown delete them like the rest.',
    s.string('Kind namespace/name, or Kind name for cluster-scoped objects.', { maxLength: 400 }),
    { maxItems: 10000 },
  ),
});
