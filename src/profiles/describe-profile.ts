// The one-line view of a profile that `meshop profile list` prints: what it turns on, resolved through layering
// so that inherited components (demo's ingress gateway, from default) are shown too.
import { enabledComponents } from './enabled-components.ts';
import type { EnabledComponent } from './enabled-components.ts';
import { layerSpec } from './layering.ts';
import { profileNames } from './profile-names.ts';
import type { ProfileName } from './profile-names.ts';
import { getProfile } from './registry.ts';

export interface ProfileSummary {
  readonly name: ProfileName;
  readonly description: string;
  readonly components: readonly EnabledComponent[];
}

/** What profile `name` installs; throws UnknownProfileError for a name that is not built in. */
export function describeProfile(name: string): ProfileSummary {
  const profile = getProfile(name);
  const components = enabledComponents(layerSpec({ profile: profile.name }));
  return { name: profile.name, description: profile.description, components };
}

/** Every built-in profile, in list order. */
export function describeProfiles(): ProfileSummary[] {
  return profileNames.map(describeProfile);
}

/** e.g. `ambient: base, pilot, cni, ztunnel`, with a component's own namespace in parentheses. */
export function formatComponents(summary: ProfileSummary): string {
  const parts = summary.components.map((c) =>
    c.namespace === undefined ? c.name : `${c.name} (${c.namespace})`,
  );
  return parts.length === 0 ? '(nothing)' : parts.join(', ');
}
