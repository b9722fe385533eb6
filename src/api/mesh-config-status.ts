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

export const RevisionState = { Active: 'Active', Draining: 'Draining', Removed: 'Removed' } as const;
export type RevisionState = (typeof RevisionState)[keyof typeof RevisionState];

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
    message: s.string('Details for a human, e.g. the field path of an invalid spec.', { maxLength: 32768 }),
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

const inUseBySchema = s.object('What still uses a revision; it is removed only when all are zero.', {
  namespaces: s.integer('Namespaces labelled for the revision or a tag pointing at it.', { minimum: 0 }),
  tags: s.integer('Revision tags pointing at the revision.', { minimum: 0 }),
  pods: s.integer('Pods whose proxy was injected by the revision.', { minimum: 0 }),
});

const revisionStatusSchema = s.object(
  'One control-plane revision on the cluster.',
  {
    name: s.string('Revision name (istio.io/rev value); "default" for an unrevisioned control plane.'),
    version: s.string('Istio release the revision runs.'),
    state: s.stringEnum(
      Object.values(RevisionState),
      'Active: serves the spec. Draining: replaced, kept while in use. Removed: deleted.',
    ),
    inUseBy: inUseBySchema,
    unusedSince: s.string(
      'When the revision was last seen unused; the deletion grace period counts from here.',
      {
        format: 'date-time',
      },
    ),
  },
  { required: ['name', 'state'] },
);

export const meshConfigStatusSchema = s.object('What the operator observed. Written by the operator only.', {
  observedGeneration: s.integer('metadata.generation of the spec last reconciled.', {
    minimum: 0,
    format: 'int64',
  }),
  conditions: s.list('Reconciled, Ready, Degraded and Upgrading.', conditionSchema, { mapKeys: ['type'] }),
  components: s.list('One entry per rendered component and revision.', componentStatusSchema),
  revisions: s.list('Control-plane revisions on the cluster.', revisionStatusSchema),
  tags: s.map('Revision tags as applied: tag name to revision.', s.string('Revision.')),
});
