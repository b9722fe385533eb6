// meshop's own defaults for a MeshConfig spec. Istio's defaults come from the profiles when rendering; these
// are the few that meshop itself decides, kept out of the CRD so a stored object reads as the user wrote it.
import { MeshopAnnotation } from '../objects/index.ts';
import { UpdateStrategyType } from './mesh-config-spec.ts';
import type { MeshConfigSpec, Teardown, UpdateStrategy } from './types.ts';

export const defaultProfile = 'default';
export const defaultUpdateStrategyType = UpdateStrategyType.InPlace;
/** Seconds an unused old revision is kept before it is removed (Sail Operator's default too). */
export const defaultGracePeriodSeconds = 30;
export const defaultRestartBatchSize = 1;
export const defaultBatchTimeout = '10m';
/** An annotation on the MeshConfig that lets a version jump through the skew guard, on purpose. */
export const allowVersionSkewAnnotation = MeshopAnnotation.allowVersionSkew;
/** Deleting a MeshConfig never deletes the CRDs, and with them users' Istio configuration, unless asked. */
export const defaultRemoveCRDs = false;

/** A spec whose meshop defaults are filled in. */
export type DefaultedMeshConfigSpec = MeshConfigSpec & {
  profile: string;
  updateStrategy: UpdateStrategy & { type: UpdateStrategyType };
  teardown: Teardown & { removeCRDs: boolean };
};

/** A copy of `spec` with meshop's defaults where fields are unset (or null); `spec` itself is not changed. */
export function withDefaults(spec: MeshConfigSpec | undefined): DefaultedMeshConfigSpec {
  const copy = structuredClone(spec ?? {});
  return {
    ...copy,
    profile: copy.profile ?? defaultProfile,
    updateStrategy: { ...copy.updateStrategy, type: copy.updateStrategy?.type ?? defaultUpdateStrategyType },
    teardown: { ...copy.teardown, removeCRDs: copy.teardown?.removeCRDs ?? defaultRemoveCRDs },
  };
}
