// The checks a MeshConfig needs its release for: `meshConfig` and `values` against the release's own API
// definitions (what istioctl decodes them into, strictly), every `k8s` setting against the Kubernetes type it
// becomes, the rules the API server would only apply to the rendered objects (limits not below requests, a PDB
// with one bound, Service port names unique), and `compatibilityVersion` and the platform against the release's
// charts. Each
// error names its field path; a misspelt field names the nearest valid one.
import type protobuf from 'protobufjs';
import { parseQuantity } from './quantity.ts';
import {
  checkShape,
  childPath,
  indexPath,
  isJsonObject,
  schemaOfMessage,
  validationError,
} from './schema/index.ts';
import type { OpenApiSchema, ValidationError } from './schema/index.ts';

/** A release's schemas: apiSchemasOf's and the release's chart choices. */
export interface ReleaseSchemas {
  readonly meshConfig: OpenApiSchema;
  readonly values: OpenApiSchema;
  /** `k8s` setting name → the schema of the Kubernetes type it becomes. */
  readonly k8sSettings: Readonly<Record<string, OpenApiSchema>>;
  /** `values` path (dot-separated) → the Kubernetes type istioctl checks that value against. */
  readonly kubernetesValues: Readonly<Record<string, OpenApiSchema>>;
  /** The `compatibilityVersion`s the release's charts know. */
  readonly compatibilityVersions: readonly string[];
  /** The platforms (`values.global.platform`) the release's charts know. */
  readonly platforms: readonly string[];
  /** The release's profiles (its profile files). */
  readonly profiles: readonly string[];
}

const core = 'k8s.io.api.core.v1';
const labelSelector = 'k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector';

// Each k8s setting and the Kubernetes type it is merged into (src/render/k8s-settings.ts); `[]` marks a list.
const k8sSettingTypes: Readonly<Record<string, string>> = {
  resources: `${core}.ResourceRequirements`,
  affinity: `${core}.Affinity`,
  tolerations: `[]${core}.Toleration`,
  readinessProbe: `${core}.Probe`,
  securityContext: `${core}.PodSecurityContext`,
  env: `[]${core}.EnvVar`,
  volumes: `[]${core}.Volume`,
  volumeMounts: `[]${core}.VolumeMount`,
  service: `${core}.ServiceSpec`,
  strategy: 'k8s.io.api.apps.v1.DeploymentStrategy',
  hpaSpec: 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscalerSpec',
  podDisruptionBudget: 'k8s.io.api.policy.v1.PodDisruptionBudgetSpec',
};

// The values istioctl decodes into Kubernetes types (operator/pkg/apis/validation: validateValues); the values
// API keeps them as free-form structs.
const kubernetesValueTypes: Readonly<Record<string, string>> = {
  'pilot.affinity': `${core}.Affinity`,
  'pilot.tolerations': `[]${core}.Toleration`,
  'pilot.seccompProfile': `${core}.SeccompProfile`,
  'pilot.topologySpreadConstraints': `[]${core}.TopologySpreadConstraint`,
  'pilot.volumes': `[]${core}.Volume`,
  'pilot.volumeMounts': `[]${core}.VolumeMount`,
  'cni.affinity': `${core}.Affinity`,
  'cni.seccompProfile': `${core}.SeccompProfile`,
  'global.defaultTolerations': `[]${core}.Toleration`,
  'global.proxy.seccompProfile': `${core}.SeccompProfile`,
  'global.proxy.lifecycle': `${core}.Lifecycle`,
  'global.waypoint.affinity': `${core}.Affinity`,
  'global.waypoint.topologySpreadConstraints': `[]${core}.TopologySpreadConstraint`,
  'global.waypoint.nodeSelector': `${core}.NodeSelector`,
  'global.waypoint.toleration': `[]${core}.Toleration`,
  'gateways.istio-ingressgateway.tolerations': `[]${core}.Toleration`,
  'gateways.istio-ingressgateway.podAntiAffinityLabelSelector': `[]${labelSelector}`,
  'gateways.istio-ingressgateway.podAntiAffinityTermLabelSelector': `[]${labelSelector}`,
  'gateways.istio-egressgateway.tolerations': `[]${core}.Toleration`,
  'gateways.istio-egressgateway.podAntiAffinityLabelSelector': `[]${labelSelector}`,
  'gateways.istio-egressgateway.podAntiAffinityTermLabelSelector': `[]${labelSelector}`,
  'sidecarInjectorWebhook.neverInjectSelector': `[]${labelSelector}`,
  'sidecarInjectorWebhook.alwaysInjectSelector': `[]${labelSelector}`,
};

function kubernetesSchemas(
  api: protobuf.Root,
  types: Readonly<Record<string, string>>,
): Record<string, OpenApiSchema> {
  return Object.fromEntries(
    Object.entries(types).map(([key, name]) => {
      const list = name.startsWith('[]');
      const item = schemaOfMessage(api.lookupType(list ? name.slice(2) : name), 'kubernetes');
      const schema: OpenApiSchema = list ? { type: 'array', description: 'A list.', items: item } : item;
      return [key, schema];
    }),
  );
}

/** What the release's charts know, by file name. */
export interface ChartChoices {
  compatibilityVersions: readonly string[];
  platforms: readonly string[];
  profiles: readonly string[];
}

/** The schemas of a release that come from its API definitions (what the artifacts keep, derived-cache.ts). */
export type ApiSchemas = Omit<ReleaseSchemas, keyof ChartChoices>;

/**
 * The schemas made from a release's API definitions. Costly (the definitions hold the Kubernetes core API), so
 * callers keep the result; it is plain JSON data whose nodes may be shared.
 */
export function apiSchemasOf(api: protobuf.Root): ApiSchemas {
  return {
    meshConfig: schemaOfMessage(api.lookupType('istio.mesh.v1alpha1.MeshConfig'), 'protojson'),
    values: schemaOfMessage(api.lookupType('istio.operator.v1alpha1.Values'), 'protojson'),
    k8sSettings: kubernetesSchemas(api, k8sSettingTypes),
    kubernetesValues: kubernetesSchemas(api, kubernetesValueTypes),
  };
}

type Json = Record<string, unknown>;

function at(tree: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (isJsonObject(node) ? node[key] : undefined), tree);
}

function checkValues(values: unknown, schemas: ReleaseSchemas, path: string): ValidationError[] {
  const errors = checkShape(schemas.values, values, path);
  // The values API keeps meshConfig as a free-form struct; istioctl decodes it as a MeshConfig.
  errors.push(...checkShape(schemas.meshConfig, at(values, 'meshConfig'), childPath(path, 'meshConfig')));
  for (const [key, schema] of Object.entries(schemas.kubernetesValues)) {
    const valuePath = key.split('.').reduce(childPath, path);
    errors.push(...checkShape(schema, at(values, key), valuePath));
  }
  return errors;
}

/** requests and limits both set for one resource, the limit lower. */
function limitsBelowRequests(resources: unknown, path: string): ValidationError[] {
  if (!isJsonObject(resources)) return [];
  const { requests, limits } = resources;
  if (!isJsonObject(requests) || !isJsonObject(limits)) return [];
  return Object.entries(limits).flatMap(([name, limit]) => {
    const low = parseQuantity(limit);
    const request = parseQuantity(requests[name]);
    return low !== undefined && request !== undefined && low < request
      ? [
          validationError(
            childPath(childPath(path, 'limits'), name),
            `limit ${String(limit)} is below the request ${String(requests[name])}`,
          ),
        ]
      : [];
  });
}

function oneDisruptionBound(pdb: unknown, path: string): ValidationError[] {
  return isJsonObject(pdb) && pdb.minAvailable != null && pdb.maxUnavailable != null
    ? [validationError(path, 'set minAvailable or maxUnavailable, not both')]
    : [];
}

function uniquePortNames(service: unknown, path: string): ValidationError[] {
  const ports = isJsonObject(service) ? service.ports : undefined;
  if (!Array.isArray(ports)) return [];
  const seen = new Set<string>();
  return ports.flatMap((port, i) => {
    const name = isJsonObject(port) ? port.name : undefined;
    if (typeof name !== 'string') return [];
    const duplicate = seen.has(name);
    seen.add(name);
    return duplicate
      ? [validationError(`${indexPath(childPath(path, 'ports'), i)}.name`, `duplicate port name "${name}"`)]
      : [];
  });
}

function checkK8s(k8s: unknown, schemas: ReleaseSchemas, path: string): ValidationError[] {
  if (!isJsonObject(k8s)) return [];
  const errors: ValidationError[] = [];
  for (const [setting, schema] of Object.entries(schemas.k8sSettings)) {
    const settingPath = childPath(path, setting);
    const shape = checkShape(schema, k8s[setting], settingPath);
    errors.push(...shape);
    if (shape.length > 0) continue;
    if (setting === 'resources') errors.push(...limitsBelowRequests(k8s[setting], settingPath));
    if (setting === 'podDisruptionBudget') errors.push(...oneDisruptionBound(k8s[setting], settingPath));
    if (setting === 'service') errors.push(...uniquePortNames(k8s[setting], settingPath));
  }
  return errors;
}

/** Each component's `k8s` block with its path: single components, then gateway list entries. */
function k8sBlocks(components: unknown, path: string): [unknown, string][] {
  if (!isJsonObject(components)) return [];
  return Object.entries(components).flatMap(([name, component]): [unknown, string][] => {
    const componentPath = childPath(path, name);
    if (Array.isArray(component)) {
      return component.map((entry, i): [unknown, string] => [
        isJsonObject(entry) ? entry.k8s : undefined,
        `${indexPath(componentPath, i)}.k8s`,
      ]);
    }
    return [[isJsonObject(component) ? component.k8s : undefined, `${componentPath}.k8s`]];
  });
}

/** A name the release's charts look up a file for, and fail on when there is none. */
function checkChoice(
  value: unknown,
  known: readonly string[],
  path: string,
  what: string,
): ValidationError[] {
  if (typeof value !== 'string' || value === '' || known.includes(value)) return [];
  const list = known.join(', ');
  return [
    validationError(path, `unknown ${what} "${value}" (this release knows ${list === '' ? 'none' : list})`),
  ];
}

function checkChartChoices(spec: Json, schemas: ReleaseSchemas): ValidationError[] {
  const version = spec.compatibilityVersion;
  const { compatibilityVersions, platforms, profiles } = schemas;
  return [
    ...checkChoice(spec.profile, profiles, 'spec.profile', 'profile'),
    ...checkChoice(version, compatibilityVersions, 'spec.compatibilityVersion', 'compatibility version'),
    ...checkChoice(at(spec.values, 'global.platform'), platforms, 'spec.values.global.platform', 'platform'),
    ...checkChoice(at(spec.values, 'platform'), platforms, 'spec.values.platform', 'platform'),
  ];
}

/** Every problem with a MeshConfig `spec` that only its release can tell; empty when there is none. */
export function validateForRelease(spec: unknown, schemas: ReleaseSchemas): ValidationError[] {
  if (!isJsonObject(spec)) return [validationError('spec', 'must be an object')];
  return [
    ...checkShape(schemas.meshConfig, spec.meshConfig, 'spec.meshConfig'),
    ...checkValues(spec.values, schemas, 'spec.values'),
    ...k8sBlocks(spec.components, 'spec.components').flatMap(([k8s, path]) => checkK8s(k8s, schemas, path)),
    ...checkChartChoices(spec, schemas),
  ];
}
