// src/render: the pure function from a MeshConfig, its release and the release's artifacts to Kubernetes objects.
export { ComponentName } from './component.ts';
export type { RenderedComponent, WorkloadTarget } from './component.ts';
export type { MeshInput } from './context-builder.ts';
export type { RenderContext } from './context.ts';
export { manifestFiles } from './manifest-files.ts';
export type { ManifestFile } from './manifest-files.ts';
export { compareObjects, sortObjects } from './object-order.ts';
export {
  controlPlaneSelector,
  managedByValue,
  ownedBySelector,
  ownershipLabels,
  sharedCrdSelector,
} from './ownership.ts';
export { RenderError } from './render-errors.ts';
export { ApplyPhases, phasedObjects } from './apply-phases.ts';
export type { ApplyPhase } from './apply-phases.ts';
export { formatComponents, profileSummaries } from './profile-summary.ts';
export type { ProfileComponent, ProfileSummary } from './profile-summary.ts';
export { renderMesh } from './render-mesh.ts';
export type { RenderResult } from './render-mesh.ts';
export { objectToYaml, objectsToYaml } from './yaml-output.ts';
export { inventoryKinds } from './inventory.ts';
export { addonImages } from './components/addons/index.ts';
export { podImages } from './pod-images.ts';
export type { PodImage } from './pod-images.ts';
export { podPrivileges } from './pod-privileges.ts';
