// Looking profiles up by the name a spec or a command line gives.
import { builtinProfiles } from './builtin/index.ts';
import type { ProfileDefinition } from './profile.ts';
import { isProfileName, profileNames } from './profile-names.ts';
import { UnknownProfileError } from './profile-errors.ts';

/** The built-in profile `name`; throws UnknownProfileError listing the known names otherwise. */
export function getProfile(name: string): ProfileDefinition {
  if (!isProfileName(name)) throw new UnknownProfileError(name, profileNames);
  return builtinProfiles[name];
}
