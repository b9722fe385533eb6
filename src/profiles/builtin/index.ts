// Every built-in profile, by name.
import type { ProfileDefinition } from '../profile.ts';
import type { ProfileName } from '../profile-names.ts';
import { ambientProfile } from './ambient.ts';
import { defaultProfile } from './default.ts';
import { demoProfile } from './demo.ts';
import { emptyProfile } from './empty.ts';
import { minimalProfile } from './minimal.ts';
import { openshiftAmbientProfile } from './openshift-ambient.ts';
import { openshiftProfile } from './openshift.ts';
import { previewProfile } from './preview.ts';
import { remoteProfile } from './remote.ts';
import { stableProfile } from './stable.ts';

export const builtinProfiles: Readonly<Record<ProfileName, ProfileDefinition>> = {
  default: defaultProfile,
  demo: demoProfile,
  minimal: minimalProfile,
  empty: emptyProfile,
  remote: remoteProfile,
  preview: previewProfile,
  stable: stableProfile,
  ambient: ambientProfile,
  openshift: openshiftProfile,
  'openshift-ambient': openshiftAmbientProfile,
};
