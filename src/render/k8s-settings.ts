// A component's `k8s` settings, applied to what its chart rendered the way istioctl applies them: each setting
// is a strategic merge patch of one object (the workload, or its Service, HPA or PDB, found by kind and the
// workload's name), so maps merge, containers and env merge by name, resources merge into the chart's, and
// lists without a merge key (tolerations) replace. Then `overlays` edit any object of the component by path.
// A setting whose target was not rendered changes nothing, as in istioctl.
import { closestName } from '../api/index.ts';
import type { KubeObject } from '../objects/index.ts';
import { deletePath, getPath, isJsonArray, isJsonObject, setPath } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';
import type { RenderedComponent, WorkloadTarget } from './component.ts';
import { strategicMerge } from './strategic-merge.ts';

export class OverlayError extends Error {
  /** The spec path of the overlays. */
  readonly path: string;
  constructor(component: string, target: string, cause: Error) {
    super(`${target}: ${cause.message}`, { cause });
    this.name = 'OverlayError';
    this.path = `spec.components.${component}.k8s.overlays`;
  }
}

type PatchTarget = 'workload' | 'Service' | 'HorizontalPodAutoscaler' | 'PodDisruptionBudget';

interface SettingPatch {
  target: PatchTarget;
  /** The patch for the setting's value. */
  patch: (value: ReadonlyJsonValue, container: string) => ReadonlyJsonObject;
}

const podSpec = (field: string) => (value: ReadonlyJsonValue) => ({
  spec: { template: { spec: { [field]: value } } },
});
const container = (field: string) => (value: ReadonlyJsonValue, name: string) => ({
  spec: { template: { spec: { containers: [{ name, [field]: value }] } } },
});

/** Each `k8s` field: the object it patches and where its value goes (istioctl's table). */
const settingPatches: Readonly<Record<string, SettingPatch>> = {
  affinity: { target: 'workload', patch: podSpec('affinity') },
  env: { target: 'workload', patch: container('env') },
  hpaSpec: { target: 'HorizontalPodAutoscaler', patch: (v) => ({ spec: v }) },
  imagePullPolicy: { target: 'workload', patch: container('imagePullPolicy') },
  nodeSelector: { target: 'workload', patch: podSpec('nodeSelector') },
  podDisruptionBudget: { target: 'PodDisruptionBudget', patch: (v) => ({ spec: v }) },
  podAnnotations: {
    target: 'workload',
    patch: (v) => ({ spec: { template: { metadata: { annotations: v } } } }),
  },
  priorityClassName: { target: 'workload', patch: podSpec('priorityClassName') },
  readinessProbe: { target: 'workload', patch: container('readinessProbe') },
  replicaCount: { target: 'workload', patch: (v) => ({ spec: { replicas: v } }) },
  resources: { target: 'workload', patch: container('resources') },
  strategy: { target: 'workload', patch: (v) => ({ spec: { strategy: v } }) },
  tolerations: { target: 'workload', patch: podSpec('tolerations') },
  serviceAnnotations: { target: 'Service', patch: (v) => ({ metadata: { annotations: v } }) },
  service: { target: 'Service', patch: (v) => ({ spec: v }) },
  securityContext: { target: 'workload', patch: podSpec('securityContext') },
};

/**
 * `whole` says the component is rendered whole, so an overlay that matches none of its objects is a mistake
 * (a misspelt name) rather than an object of another part of the render.
 */
export function applyK8sSettings(
  component: RenderedComponent,
  k8s: ReadonlyJsonObject | undefined,
  whole = true,
): RenderedComponent {
  if (!k8s) return component;
  const target = component.workload;
  // Components without a workload (base) take overlays only.
  const objects = component.objects.map((obj) =>
    target ? patchObject(obj as unknown as JsonObject, target, k8s) : (obj as unknown as JsonObject),
  );
  const overlaid = applyOverlays(component, objects, k8s.overlays, whole);
  return { ...component, objects: overlaid as unknown as KubeObject[] };
}

function patchObject(obj: JsonObject, target: WorkloadTarget, k8s: ReadonlyJsonObject): JsonObject {
  const meta = obj.metadata as { name?: string };
  if (meta.name !== target.name) return obj;
  const kind = obj.kind === target.kind ? 'workload' : obj.kind;
  let out = obj;
  for (const [field, setting] of Object.entries(settingPatches)) {
    if (setting.target !== kind) continue;
    let value = k8s[field];
    if (value === undefined) continue;
    // Service ports reach a gateway through its chart values (they shape its container ports too); merging them
    // again here would only go wrong (kubernetes/kubernetes#103544).
    if (field === 'service' && isJsonObject(value) && isJsonArray(value.ports)) {
      value = { ...value, ports: [] };
    }
    out = strategicMerge(out, setting.patch(value, target.container));
    if (field === 'podDisruptionBudget') out = onePdbBound(out);
  }
  return out;
}

/**
 * A PDB takes one of minAvailable and maxUnavailable; the chart sets minAvailable, a user's maxUnavailable wins.
 * The loser is set to null, as istioctl leaves it, which an apply treats as not set.
 */
function onePdbBound(obj: JsonObject): JsonObject {
  const spec = getPath(obj, 'spec');
  if (isJsonObject(spec) && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return setPath(obj, 'spec.minAvailable', null);
  }
  return obj;
}

interface Overlay {
  kind?: string;
  name?: string;
  patches?: { path?: string; value?: ReadonlyJsonValue }[];
}

function applyOverlays(
  component: RenderedComponent,
  objects: JsonObject[],
  overlays: ReadonlyJsonValue | undefined,
  whole: boolean,
): JsonObject[] {
  if (!Array.isArray(overlays)) return objects;
  let out = objects;
  for (const overlay of overlays as readonly Overlay[]) {
    if (whole && !out.some((obj) => matches(obj, overlay))) throw unmatched(component, overlay, out);
    out = out.map((obj) => (matches(obj, overlay) ? patchByPath(component, obj, overlay) : obj));
  }
  return out;
}

/** istioctl stops on an overlay that selects nothing; so does meshop, naming what the component does render. */
function unmatched(component: RenderedComponent, overlay: Overlay, objects: JsonObject[]): OverlayError {
  const sameKind = objects
    .filter((o) => o.kind === overlay.kind)
    .map((o) => (o.metadata as { name?: string }).name ?? '');
  const suggestion = closestName(overlay.name ?? '', sameKind);
  const rendered =
    sameKind.length === 0
      ? `it renders no ${overlay.kind ?? ''}`
      : suggestion === undefined
        ? `its ${overlay.kind ?? ''} objects: ${sameKind.join(', ')}`
        : `did you mean "${suggestion}"?`;
  return new OverlayError(
    component.name,
    `${overlay.kind ?? ''}/${overlay.name ?? ''}`,
    new Error(`matches no object of this component (${rendered})`),
  );
}

function matches(obj: JsonObject, overlay: Overlay): boolean {
  return obj.kind === overlay.kind && (obj.metadata as { name?: string }).name === overlay.name;
}

function patchByPath(component: RenderedComponent, obj: JsonObject, overlay: Overlay): JsonObject {
  let out = obj;
  for (const patch of overlay.patches ?? []) {
    const path = patch.path ?? '';
    try {
      out =
        patch.value === undefined || patch.value === null
          ? deletePath(out, path)
          : setPath(out, path, patch.value, { createMissing: true });
    } catch (err) {
      throw new OverlayError(
        component.name,
        `${overlay.kind ?? ''}/${overlay.name ?? ''} ${path}`,
        err as Error,
      );
    }
  }
  refuseProtectedChange(component, overlay, obj, out);
  return out;
}

function refuseProtectedChange(
  component: RenderedComponent,
  overlay: Overlay,
  before: JsonObject,
  after: JsonObject,
): void {
  const changed = protectedFields.find((f) => JSON.stringify(f.of(before)) !== JSON.stringify(f.of(after)));
  if (!changed) return;
  throw new OverlayError(
    component.name,
    `${overlay.kind ?? ''}/${overlay.name ?? ''}`,
    new Error(
      `may not change ${changed.name} (an overlay edits an object, never which one it is or what it grants)`,
    ),
  );
}

/**
 * What no overlay may change, whatever path spelling it uses (the API refuses the usual spellings up front): the
 * object's identity, since a forced apply of a renamed object takes over someone else's, and what an RBAC object
 * grants, since the operator holds escalate/bind and would grant it for whoever may write a MeshConfig.
 */
const protectedFields: readonly { name: string; of: (o: JsonObject) => unknown }[] = [
  { name: 'kind', of: (o) => o.kind },
  { name: 'apiVersion', of: (o) => o.apiVersion },
  { name: 'metadata.name', of: (o) => (o.metadata as { name?: unknown } | undefined)?.name },
  { name: 'metadata.namespace', of: (o) => (o.metadata as { namespace?: unknown } | undefined)?.namespace },
  { name: 'rules', of: (o) => o.rules },
  { name: 'roleRef', of: (o) => o.roleRef },
  { name: 'subjects', of: (o) => o.subjects },
  { name: 'aggregationRule', of: (o) => o.aggregationRule },
];
