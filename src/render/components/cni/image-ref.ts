// Istio's image naming: `<hub>/<image>:<tag>[-<variant>]`, unless the image is already a full reference.
import type { ReadonlyJsonObject } from '../../../tree/index.ts';
import { readString } from '../../values.ts';

export interface ImageParts {
  /** The chart's `image` value: a bare name, or a full reference when it contains a slash. */
  image: string;
  /** Used when `image` is empty. */
  defaultName: string;
  hub: string;
  tag: string;
  /** `distroless`, `debug` or empty. */
  variant: string;
}

export function imageRef(parts: ImageParts): string {
  if (parts.image.includes('/')) return parts.image;
  const suffix = parts.variant ? `-${parts.variant}` : '';
  return `${parts.hub}/${parts.image || parts.defaultName}:${parts.tag}${suffix}`;
}

/** The chart's own setting at `key`, else its `global` twin (how the istio-cni chart falls back). */
export function ownOrGlobal(own: ReadonlyJsonObject, global: ReadonlyJsonObject, key: string): string {
  return readString(own, key, '') || readString(global, key, '');
}
