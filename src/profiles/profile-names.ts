// The built-in profile names, in the order `meshop profile list` shows them (istioctl's order of importance:
// the production default first, the platform variants last).
export const profileNames = [
  'default',
  'demo',
  'minimal',
  'empty',
  'remote',
  'preview',
  'stable',
  'ambient',
  'openshift',
  'openshift-ambient',
] as const;
export type ProfileName = (typeof profileNames)[number];

/** The profile every other one is layered over, and the one used when a spec names none. */
export const baseProfileName = 'default' satisfies ProfileName;

export function isProfileName(name: string): name is ProfileName {
  return (profileNames as readonly string[]).includes(name);
}
