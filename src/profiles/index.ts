// Istio's built-in profiles as data, and how a spec is layered over them.
export {
  ClassicGateway,
  defaultEgressGatewayPorts,
  defaultIngressGatewayPorts,
  demoIngressGatewayPorts,
} from './classic-gateways.ts';
export type { GatewayPort } from './classic-gateways.ts';
export { describeProfile, describeProfiles, formatComponents } from './describe-profile.ts';
export type { ProfileSummary } from './describe-profile.ts';
export { ComponentKey, enabledComponents } from './enabled-components.ts';
export type { EnabledComponent } from './enabled-components.ts';
export { layerSpec, profileNameOf } from './layering.ts';
export type { LayerOptions } from './layering.ts';
export { isPlatformName, platformNames, platformOverlays } from './platforms.ts';
export type { PlatformName } from './platforms.ts';
export type { ProfileDefinition } from './profile.ts';
export { UnknownPlatformError, UnknownProfileError } from './profile-errors.ts';
export { baseProfileName, isProfileName, profileNames } from './profile-names.ts';
export type { ProfileName } from './profile-names.ts';
export { getProfile } from './registry.ts';
