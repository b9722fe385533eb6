// Istio's installation profiles are the release's own files (its artifacts' profiles/, one IstioOperator document
// per name), layered as istioctl layers them: the chosen profile over `default`. Maps merge, lists replace, and a
// null removes what the lower layer set.
import { deepMerge } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../tree/index.ts';
import { UnknownProfileError } from './profile-errors.ts';
import { baseProfileName, profileNames } from './profile-names.ts';

export type ReleaseProfiles = Readonly<Record<string, ReadonlyJsonObject>>;

/** The release's profile names: the ones meshop documents in their order, then any new ones by name. */
export function releaseProfileNames(profiles: ReleaseProfiles): string[] {
  const known: readonly string[] = profileNames;
  const listed = known.filter((name) => name in profiles);
  const added = Object.keys(profiles)
    .filter((name) => !known.includes(name))
    .sort();
  return [...listed, ...added];
}

function unknown(name: string, profiles: ReleaseProfiles): UnknownProfileError {
  return new UnknownProfileError(name, releaseProfileNames(profiles));
}

/** The profile a spec names (`spec.profile`, `default` when unset or empty), checked against the release's. */
export function profileOf(spec: ReadonlyJsonObject, profiles: ReleaseProfiles): string {
  const profile = spec.profile;
  if (profile === undefined || profile === null || profile === '') return baseProfileName;
  if (typeof profile !== 'string') throw unknown(JSON.stringify(profile), profiles);
  if (!(profile in profiles)) throw unknown(profile, profiles);
  return profile;
}

/** Profile `name` layered over the release's `default`: the IstioOperator document istioctl starts from. */
export function layeredProfile(profiles: ReleaseProfiles, name: string): JsonObject {
  const base = profiles[baseProfileName];
  const chosen = profiles[name];
  if (base === undefined) throw unknown(baseProfileName, profiles);
  if (chosen === undefined) throw unknown(name, profiles);
  const layered = deepMerge({}, base);
  return name === baseProfileName ? layered : deepMerge(layered, chosen);
}
