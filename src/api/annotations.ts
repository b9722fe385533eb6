// Annotations a user puts on a MeshConfig to tell the operator something that is not desired state.
import { MeshopAnnotation } from '../objects/index.ts';

/**
 * "true": the operator may take over objects with the rendered names that meshop did not create (an istiod
 * installed by istioctl or Helm). Never another MeshConfig's objects.
 */
export const adoptExistingAnnotation = MeshopAnnotation.adoptExisting;
