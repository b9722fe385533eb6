// Which registries rendered pods may pull from. Values, hub and tag reach the images of privileged workloads
// (the CNI DaemonSet runs as root on every node), so whoever may write a MeshConfig could otherwise run any image
// there. The operator takes the list as a flag (--allowed-image-registries, set by the installer); by default it
// is the catalogued releases' own registries and those of the addons' images.
import { releases } from '../catalog/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { describeRef, refOf } from '../kube/index.ts';
import { addonImages, podImages } from '../render/index.ts';

/** `grafana/grafana:1` → `docker.io/grafana/grafana:1`; `busybox` → `docker.io/library/busybox`. */
export function qualifiedImage(image: string): string {
  const first = image.split('/')[0] ?? '';
  const hasRegistry =
    image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/** The repository path an image lives under, without its name: `docker.io/grafana/grafana:1` → `docker.io/grafana`. */
function repositoryOf(image: string): string {
  const qualified = qualifiedImage(image);
  return qualified.slice(0, qualified.lastIndexOf('/'));
}

export function defaultAllowedRegistries(): string[] {
  const hubs = releases.map((r) => r.hub);
  return [...new Set([...hubs, ...Object.values(addonImages).map(repositoryOf)])];
}

/**
 * A registry is written fully qualified, as a prefix of repository paths: `docker.io/istio` allows
 * `docker.io/istio/pilot:1.31.0` (and `istio/pilot:1.31.0`, which means the same), not `docker.io/istiox/...`.
 */
function allowedBy(image: string, registry: string): boolean {
  return qualifiedImage(image).startsWith(`${registry.replace(/\/+$/, '')}/`);
}

/** One line per image of `objects` that no allowed registry covers. */
export function disallowedImages(objects: readonly KubeObject[], allowed: readonly string[]): string[] {
  return objects.flatMap((obj) =>
    podImages(obj)
      .filter(({ image }) => !allowed.some((registry) => allowedBy(image, registry)))
      .map(({ path, image }) => `${describeRef(refOf(obj))} ${path}: ${image}`),
  );
}
