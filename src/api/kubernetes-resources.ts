// `components.<c>.k8s`: the Kubernetes settings IstioOperator lets a user put on each component's workload,
// Service, HPA and PDB. Small, stable Kubernetes types are spelled out (so typos are caught and `kubectl
// explain` helps); large ones (affinity, probes, security contexts, volumes) are kept as written.
import * as s from './schema/index.ts';

const quantities = s.map(
  'Resource name to quantity, e.g. cpu: 100m, memory: 128Mi.',
  s.intOrString('A quantity.'),
);

const resources = s.object('Compute resources of the component main container.', {
  requests: quantities,
  limits: quantities,
  claims: s.list('Dynamic resource claims the container uses.', s.freeForm('A resource claim.')),
});

const minReplicasAtMostMax: s.Invariant<{ minReplicas?: number; maxReplicas?: number }> = {
  rule: '!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas',
  message: 'minReplicas must not exceed maxReplicas',
  fieldPath: '.minReplicas',
  check: (value, path) =>
    value.minReplicas !== undefined &&
    value.maxReplicas !== undefined &&
    value.minReplicas > value.maxReplicas
      ? [s.validationError(`${path}.minReplicas`, `must not exceed maxReplicas (${value.maxReplicas})`)]
      : [],
};

const hpaSpec = s.openObject(
  'HorizontalPodAutoscaler spec (autoscaling/v2) for the component workload.',
  {
    minReplicas: s.integer('Lower bound of replicas.', { minimum: 0, format: 'int32' }),
    maxReplicas: s.integer('Upper bound of replicas.', { minimum: 1, format: 'int32' }),
  },
  { rules: [minReplicasAtMostMax] },
);

const podDisruptionBudget = s.openObject('PodDisruptionBudget spec (policy/v1) for the component pods.', {
  minAvailable: s.intOrString('Pods that must stay available: a number or a percentage.'),
  maxUnavailable: s.intOrString('Pods that may be unavailable: a number or a percentage.'),
});

const toleration = s.object('A toleration (core/v1).', {
  key: s.string('Taint key the toleration applies to; empty with operator Exists matches every taint.'),
  operator: s.string('How key and value are compared, e.g. Exists or Equal.'),
  value: s.string('Taint value to match.'),
  effect: s.string('Taint effect to match (NoSchedule, PreferNoSchedule, NoExecute); empty matches all.'),
  tolerationSeconds: s.integer('How long a NoExecute taint is tolerated.', { format: 'int64' }),
});

const envVar = s.object(
  'An environment variable (core/v1 EnvVar).',
  {
    name: s.string('Variable name.'),
    value: s.string('Literal value.'),
    valueFrom: s.freeForm('Source of the value (field, resource, ConfigMap or Secret reference).'),
  },
  { required: ['name'] },
);

const servicePort = s.openObject('A Service port (core/v1 ServicePort).', {
  name: s.string('Port name; Istio reads the protocol from its prefix (http-, grpc-, tcp-, tls-).'),
  port: s.integer('Port the Service exposes.', { minimum: 1, maximum: 65535, format: 'int32' }),
  targetPort: s.intOrString('Container port, by number or name.'),
  nodePort: s.integer('Node port for NodePort and LoadBalancer Services.', { format: 'int32' }),
  protocol: s.string('TCP, UDP or SCTP.'),
});

const service = s.openObject('Service spec (core/v1) for the component Service.', {
  type: s.string('ClusterIP, NodePort, LoadBalancer or ExternalName.'),
  ports: s.list('For gateways: replaces the gateway ports, Service and container alike.', servicePort),
});

const strategy = s.object('Deployment update strategy (apps/v1).', {
  type: s.stringEnum(['Recreate', 'RollingUpdate'], 'Recreate or RollingUpdate.'),
  rollingUpdate: s.object('Rolling update bounds.', {
    maxSurge: s.intOrString('Pods above the desired count during an update.'),
    maxUnavailable: s.intOrString('Pods that may be unavailable during an update.'),
  }),
});

// An overlay edits what meshop renders, never which object it is or what it grants: a changed kind, name or
// namespace would make a forced apply take over someone else's object (which prune may later delete), and RBAC
// rules, role references and subjects would let anyone who may write a MeshConfig grant themselves anything
// through the operator's escalate/bind rights. The renderer checks the result too (src/render/k8s-settings.ts),
// so a spelling these patterns miss is still refused.
const protectedPaths = [
  'kind',
  'apiVersion',
  'metadata.name',
  'metadata.namespace',
  'metadata.generateName',
  'rules',
  'roleRef',
  'subjects',
  'aggregationRule',
] as const;
const protectedPathMessage =
  "may not change an object's kind, apiVersion, name or namespace, nor RBAC rules, roleRef or subjects";

/** True when `path` is one of protectedPaths or goes below one (by key or list selector). */
const touchesProtected = (path: string): boolean =>
  protectedPaths.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

// Prefix tests, not a regular expression: the rule runs for every patch of every overlay of every gateway, and a
// regex's estimated CEL cost exceeds the API server's budget.
const noProtectedPath: s.Invariant<{ path?: string }> = {
  rule:
    `![${protectedPaths.map((p) => `'${p}'`).join(', ')}]` +
    ".exists(p, self.path == p || self.path.startsWith(p + '.') || self.path.startsWith(p + '['))",
  message: `path ${protectedPathMessage}`,
  fieldPath: '.path',
  check: (value, path) =>
    value.path !== undefined && touchesProtected(value.path)
      ? [s.validationError(`${path}.path`, protectedPathMessage)]
      : [],
};

const patch = s.object(
  'One change to a rendered object.',
  {
    path: s.string(
      'Dot-separated path into the object; [N] selects a list index (past the end appends), ' +
        '[key:value] the list element whose key equals value, [:value] a scalar list element. ' +
        'Not kind, apiVersion, metadata.name or metadata.namespace, nor RBAC rules, roleRef or subjects.',
      { maxLength: 256 },
    ),
    value: s.anyValue('Value to set at path; leave unset to delete what path selects.'),
  },
  { required: ['path'], rules: [noProtectedPath] },
);

const overlay = s.object(
  'Patches for one rendered object of this component, applied after every other k8s setting.',
  {
    apiVersion: s.string('API version of the object (informational: objects are matched by kind and name).'),
    kind: s.string('Kind of the object to patch.'),
    name: s.string('Name of the object to patch (in the component namespace).'),
    patches: s.list('Patches, applied in order.', patch, { maxItems: 32 }),
  },
  { required: ['kind', 'name'] },
);

export const imagePullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;

export const kubernetesResourcesSchema = s.object(
  'Kubernetes settings applied to the objects this component renders (IstioOperator KubernetesResources).',
  {
    resources,
    replicaCount: s.integer('Replicas of the workload (Deployments only).', { minimum: 0, format: 'int32' }),
    hpaSpec,
    podDisruptionBudget,
    nodeSelector: s.map('Node labels the pods must be scheduled on.', s.string('Label value.')),
    tolerations: s.list('Taints the pods tolerate.', toleration),
    affinity: s.freeForm('Pod affinity and anti-affinity (core/v1 Affinity).'),
    env: s.list('Environment variables merged into the main container, by name.', envVar),
    service,
    serviceAnnotations: s.map('Annotations added to the component Service.', s.string('Annotation value.')),
    podAnnotations: s.map('Annotations added to the pods.', s.string('Annotation value.')),
    securityContext: s.freeForm('Pod security context (core/v1 PodSecurityContext).'),
    strategy,
    priorityClassName: s.string('PriorityClass of the pods.'),
    imagePullPolicy: s.stringEnum(
      imagePullPolicies,
      'When the kubelet pulls the image: Always, IfNotPresent, Never.',
    ),
    readinessProbe: s.freeForm('Readiness probe of the main container (core/v1 Probe).'),
    volumes: s.list('Volumes added to the pods.', s.freeForm('A volume (core/v1 Volume).')),
    volumeMounts: s.list(
      'Volume mounts added to the main container.',
      s.freeForm('A volume mount (core/v1).'),
    ),
    // The bounds keep the CEL cost of the path rule within the API server's budget; far beyond any real use.
    overlays: s.list('Path patches on rendered objects, for what no other field reaches.', overlay, {
      maxItems: 32,
    }),
  },
);
