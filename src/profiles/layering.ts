// How a MeshConfig spec becomes the full spec the renderer works from. Lowest to highest precedence:
//   built-in defaults < the `default` profile < the chosen profile < the platform overlay < the user's spec.
// Every step is deepMerge: maps merge, lists replace (a user's ingressGateways list replaces the profile's, so
// gateways it does not list are gone, as with istioctl), and a null in the user's spec removes what a profile set.
// The platform overlay sits where Istio's charts apply it: above the profile, below anything the user wrote.
// The renderer applies components' k8s settings and overlays later.
import { deepMerge, getPath } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../tree/index.ts';
import { builtinProfiles } from './builtin/index.ts';
import { isPlatformName, platformNames, platformOverlays } from './platforms.ts';
import type { PlatformName } from './platforms.ts';
import { UnknownPlatformError, UnknownProfileError } from './profile-errors.ts';
import { baseProfileName, profileNames } from './profile-names.ts';
import { getProfile } from './registry.ts';

export interface LayerOptions {
  /** Values below every profile (meshop's own defaults); none by default. */
  readonly builtinDefaults?: ReadonlyJsonObject;
}

/** The user's spec layered over its profile; neither input is changed. Throws for an unknown profile or platform. */
export function layerSpec(userSpec: ReadonlyJsonObject, options: LayerOptions = {}): JsonObject {
  const profile = getProfile(profileNameOf(userSpec));
  let layered = deepMerge(options.builtinDefaults ?? {}, builtinProfiles[baseProfileName].spec);
  if (profile.name !== baseProfileName) layered = deepMerge(layered, profile.spec);
  // The user may name the platform too, so it is read from what the spec will finally say.
  const platform = platformOf(deepMerge(layered, userSpec));
  if (platform !== undefined) layered = deepMerge(layered, platformOverlays[platform]);
  return deepMerge(layered, userSpec);
}

/** The profile a spec asks for: `spec.profile`, or `default` when unset or empty. */
export function profileNameOf(spec: ReadonlyJsonObject): string {
  const profile = spec.profile;
  if (profile === undefined || profile === null || profile === '') return baseProfileName;
  if (typeof profile !== 'string') throw new UnknownProfileError(JSON.stringify(profile), profileNames);
  return profile;
}

function platformOf(spec: ReadonlyJsonObject): PlatformName | undefined {
  const platform = getPath(spec, 'values.global.platform');
  if (platform === undefined || platform === null || platform === '') return undefined;
  if (typeof platform === 'string' && isPlatformName(platform)) return platform;
  throw new UnknownPlatformError(
    typeof platform === 'string' ? platform : JSON.stringify(platform),
    platformNames,
  );
}
