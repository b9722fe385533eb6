// A component's `k8s` settings, applied to what its renderer produced, the way istioctl applies them: each
// setting patches one object (the workload, its Service, HPA or PDB, matched by the component's workload
// name), maps merge, lists replace, except container `env`, which merges by name. Then `overlays` edit any
// object of the component by path. A setting whose target was not rendered changes nothing, as in istioctl.
import type { KubeObject } from '../kube/index.ts';
import { deepMerge, deletePath, getPath, isJsonObject, setPath } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';
import type { RenderedComponent, WorkloadTarget } from './component.ts';

const podSpecFields = [
  'affinity',
  'nodeSelector',
  'tolerations',
  'priorityClassName',
  'securityContext',
] as const;
const containerFields = ['resources', 'readinessProbe', 'imagePullPolicy'] as const;

export class OverlayError extends Error {
  constructor(component: string, target: string, cause: Error) {
    super(`components.${component}.k8s.overlays: ${target}: ${cause.message}`, { cause });
    this.name = 'OverlayError';
  }
}

export function applyK8sSettings(
  component: RenderedComponent,
  k8s: ReadonlyJsonObject | undefined,
): RenderedComponent {
  if (!k8s || !component.workload) return component;
  const target = component.workload;
  const objects = component.objects.map((obj) => patchObject(obj as unknown as JsonObject, target, k8s));
  const overlaid = applyOverlays(component, objects, k8s.overlays);
  return { ...component, objects: overlaid as unknown as KubeObject[] };
}

function patchObject(obj: JsonObject, target: WorkloadTarget, k8s: ReadonlyJsonObject): JsonObject {
  const meta = obj.metadata as { name?: string; namespace?: string };
  if (meta.name !== target.name || (meta.namespace ?? target.namespace) !== target.namespace) return obj;
  switch (obj.kind) {
    case target.kind:
      return patchWorkload(obj, target, k8s);
    case 'Service':
      return patchService(obj, k8s);
    case 'HorizontalPodAutoscaler':
      return mergeAt(obj, 'spec', k8s.hpaSpec);
    case 'PodDisruptionBudget':
      return patchPdb(obj, k8s.podDisruptionBudget);
    default:
      return obj;
  }
}

function mergeAt(obj: JsonObject, path: string, value: ReadonlyJsonValue | undefined): JsonObject {
  if (!isJsonObject(value)) return obj;
  const current = getPath(obj, path);
  return setPath(obj, path, deepMerge(isJsonObject(current) ? current : {}, value), { createMissing: true });
}

function setIfPresent(obj: JsonObject, path: string, value: ReadonlyJsonValue | undefined): JsonObject {
  return value === undefined ? obj : setPath(obj, path, value, { createMissing: true });
}

function patchWorkload(obj: JsonObject, target: WorkloadTarget, k8s: ReadonlyJsonObject): JsonObject {
  let out = obj;
  for (const field of podSpecFields) out = setIfPresent(out, `spec.template.spec.${field}`, k8s[field]);
  out = mergeAt(out, 'spec.template.metadata.annotations', k8s.podAnnotations);
  if (target.kind !== 'DaemonSet') out = setIfPresent(out, 'spec.replicas', k8s.replicaCount);
  if (target.kind === 'Deployment') out = setIfPresent(out, 'spec.strategy', k8s.strategy);
  const container = `spec.template.spec.containers.[name:${target.container}]`;
  if (getPath(out, container) === undefined) return out;
  for (const field of containerFields) out = setIfPresent(out, `${container}.${field}`, k8s[field]);
  return mergeEnv(out, `${container}.env`, k8s.env);
}

/** Container env merges by variable name: a user's entry replaces the rendered one of the same name. */
function mergeEnv(obj: JsonObject, path: string, env: ReadonlyJsonValue | undefined): JsonObject {
  if (!Array.isArray(env)) return obj;
  const current = getPath(obj, path);
  const merged = Array.isArray(current) ? [...(current as readonly ReadonlyJsonObject[])] : [];
  for (const entry of env as readonly ReadonlyJsonObject[]) {
    const at = merged.findIndex((e) => e.name === entry.name);
    if (at >= 0) merged[at] = entry;
    else merged.push(entry);
  }
  return setPath(obj, path, merged, { createMissing: true });
}

function patchService(obj: JsonObject, k8s: ReadonlyJsonObject): JsonObject {
  return mergeAt(mergeAt(obj, 'spec', k8s.service), 'metadata.annotations', k8s.serviceAnnotations);
}

/** A PDB takes one of minAvailable and maxUnavailable; a user's maxUnavailable replaces a rendered minAvailable. */
function patchPdb(obj: JsonObject, pdb: ReadonlyJsonValue | undefined): JsonObject {
  if (!isJsonObject(pdb)) return obj;
  const out = mergeAt(obj, 'spec', pdb);
  const spec = getPath(out, 'spec');
  if (isJsonObject(spec) && spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    return deletePath(out, pdb.minAvailable === undefined ? 'spec.minAvailable' : 'spec.maxUnavailable');
  }
  return out;
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
): JsonObject[] {
  if (!Array.isArray(overlays)) return objects;
  let out = objects;
  for (const overlay of overlays as readonly Overlay[]) {
    out = out.map((obj) => (matches(obj, overlay) ? patchByPath(component, obj, overlay) : obj));
  }
  return out;
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
          : setPath(out, path, patch.value);
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
