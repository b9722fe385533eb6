// Kubernetes' strategic merge patch, for the objects `k8s` settings patch (workloads, Services, HPAs, PDBs):
// maps merge key by key, a null deletes, and a list merges element by element where the Kubernetes type names a
// merge key for it (containers and env by name, a container's ports by containerPort, a Service's by port...);
// every other list is replaced whole. Only what the patch names changes. The merge keys are facts from the
// Kubernetes API types (`patchMergeKey` tags in k8s.io/api); the `$patch` directives are not supported, since
// no `k8s` setting produces them.
import { isJsonArray, isJsonObject } from '../tree/index.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';

/** List field name → the key its elements merge by, for the types `k8s` settings reach. */
const mergeKeys: Readonly<Record<string, (element: ReadonlyJsonObject) => string | undefined>> = {
  containers: () => 'name',
  initContainers: () => 'name',
  ephemeralContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  imagePullSecrets: () => 'name',
  volumeMounts: () => 'mountPath',
  volumeDevices: () => 'devicePath',
  hostAliases: () => 'ip',
  topologySpreadConstraints: () => 'topologyKey',
  // A container's ports merge by containerPort, a Service's by port: one field name, two types.
  ports: (element) => ('containerPort' in element ? 'containerPort' : 'port' in element ? 'port' : undefined),
};

function clone(value: ReadonlyJsonValue): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/** `patch` merged into `base`; neither is changed. */
export function strategicMerge(base: ReadonlyJsonObject, patch: ReadonlyJsonObject): JsonObject {
  const out = clone(base) as JsonObject;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      // Own-property delete; the key comes from a parsed document, never from a prototype.
      Reflect.deleteProperty(out, key);
      continue;
    }
    const current = out[key];
    if (isJsonObject(value) && isJsonObject(current)) {
      out[key] = strategicMerge(current, value);
    } else if (isJsonArray(value) && isJsonArray(current)) {
      out[key] = mergeList(key, current, value);
    } else {
      out[key] = clone(value);
    }
  }
  return out;
}

function mergeList(
  field: string,
  base: readonly ReadonlyJsonValue[],
  patch: readonly ReadonlyJsonValue[],
): JsonValue[] {
  const keyOf = mergeKeys[field];
  const first = patch.find(isJsonObject) ?? base.find(isJsonObject);
  const key = keyOf && first ? keyOf(first) : undefined;
  if (key === undefined) return patch.map(clone);
  const indexIn = (list: readonly ReadonlyJsonValue[], element: ReadonlyJsonValue): number =>
    isJsonObject(element) ? list.findIndex((e) => isJsonObject(e) && e[key] === element[key]) : -1;
  // The patch's elements, each merged into its namesake in the base, in the patch's order...
  const patched = patch.filter(isJsonObject).map((element) => {
    const current = base[indexIn(base, element)];
    return isJsonObject(current) ? strategicMerge(current, element) : clone(element);
  });
  const serverOnly = base.filter((element) => indexIn(patch, element) < 0).map(clone);
  return interleave(serverOnly, patched, (element) => indexIn(base, element));
}

/**
 * The base's other elements and the patched ones, ordered as Kubernetes orders them (mergeSortedSlice): a base
 * element goes first only when both it and the next patched element are in the base and it comes earlier there,
 * so new elements land before the base elements that follow.
 */
function interleave(
  serverOnly: readonly JsonValue[],
  patched: readonly JsonValue[],
  baseIndex: (element: JsonValue) => number,
): JsonValue[] {
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length && j < patched.length) {
    const left = serverOnly[i] ?? null;
    const right = patched[j] ?? null;
    const li = baseIndex(left);
    const ri = baseIndex(right);
    if (li >= 0 && ri >= 0 && li < ri) {
      out.push(left);
      i++;
    } else {
      out.push(right);
      j++;
    }
  }
  return [...out, ...serverOnly.slice(i), ...patched.slice(j)];
}
