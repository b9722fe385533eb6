// The MeshConfig API's TypeScript types, each derived from the schema the CRD is generated from (see
// docs/adr/0006-api-schema-builders.md), so code and cluster always agree on the shape.
import type { baseComponentSchema, componentsSchema } from './components.ts';
import type { kubernetesResourcesSchema } from './kubernetes-resources.ts';
import type { meshConfigSpecSchema } from './mesh-config-spec.ts';
import type { meshConfigStatusSchema } from './mesh-config-status.ts';
import type { Infer } from './schema/index.ts';

export type MeshConfigSpec = Infer<typeof meshConfigSpecSchema>;
export type MeshConfigStatus = Infer<typeof meshConfigStatusSchema>;

export type Components = Infer<typeof componentsSchema>;
export type BaseComponentSpec = Infer<typeof baseComponentSchema>;
export type ComponentSpec = NonNullable<Components['pilot']>;
export type GatewayComponentSpec = NonNullable<Components['ingressGateways']>[number];
export type KubernetesResources = Infer<typeof kubernetesResourcesSchema>;
export type KubernetesOverlay = NonNullable<KubernetesResources['overlays']>[number];

export type UpdateStrategy = NonNullable<MeshConfigSpec['updateStrategy']>;
export type RestartWorkloads = NonNullable<UpdateStrategy['restartWorkloads']>;
export type Addons = NonNullable<MeshConfigSpec['addons']>;
export type AddonName = keyof Addons;
export type AddonSpec = NonNullable<Addons[AddonName]>;
export type Teardown = NonNullable<MeshConfigSpec['teardown']>;

export type Condition = NonNullable<MeshConfigStatus['conditions']>[number];
export type ComponentStatus = NonNullable<MeshConfigStatus['components']>[number];
export type RevisionStatus = NonNullable<MeshConfigStatus['revisions']>[number];
export type InUse = NonNullable<RevisionStatus['inUse']>;
export type MigrationStatus = NonNullable<MeshConfigStatus['migration']>;
