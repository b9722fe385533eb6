// Annotations a user puts on a MeshConfig to tell the operator something that is not desired state.

/**
 * "true": the operator may take over objects with the rendered names that meshop did not create (an istiod
 * installed by istioctl or Helm). Never another MeshConfig's objects.
 */
export const adoptExistingAnnotation = 'meshop.dev/adopt-existing';
