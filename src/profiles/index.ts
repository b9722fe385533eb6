// Istio's installation profiles: the release's own profile files, layered as istioctl layers them.
export { profileDescriptions } from './profile-descriptions.ts';
export { UnknownProfileError } from './profile-errors.ts';
export { baseProfileName, isProfileName, profileNames } from './profile-names.ts';
export type { ProfileName } from './profile-names.ts';
export { layeredProfile, profileOf, releaseProfileNames } from './release-profiles.ts';
export type { ReleaseProfiles } from './release-profiles.ts';
