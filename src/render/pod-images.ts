// The container images a rendered object would run, with where each is written: what the operator's registry
// allow-list is checked against.
import type { KubeObject } from '../objects/index.ts';
import { getPath, isJsonArray, isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';

export interface PodImage {
  /** Path in the object, e.g. `spec.template.spec.containers[discovery].image`. */
  readonly path: string;
  readonly image: string;
}

/** Where each kind keeps its pod spec. */
const podSpecPaths: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

const containerLists = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** Where an object of `kind` keeps its pod spec; undefined for kinds that run no pod. */
export const podSpecPath = (kind: string): string | undefined => podSpecPaths[kind];

export function podImages(obj: KubeObject): PodImage[] {
  const at = podSpecPath(obj.kind);
  if (at === undefined) return [];
  const spec = getPath(obj as unknown as ReadonlyJsonObject, at);
  if (!isJsonObject(spec)) return [];
  return containerLists.flatMap((list) => {
    const containers = spec[list];
    if (!isJsonArray(containers)) return [];
    return containers.flatMap((c) => {
      if (!isJsonObject(c) || typeof c.image !== 'string') return [];
      const name = typeof c.name === 'string' ? c.name : '';
      return [{ path: `${at}.${list}[${name}].image`, image: c.image }];
    });
  });
}
