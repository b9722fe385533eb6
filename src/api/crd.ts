// The MeshConfig CustomResourceDefinition, built from the API schema. Pure: hack/manifests.ts writes it out,
// and a unit test fails when the committed copy is stale.
import { MeshConfigGroup, MeshConfigNames, MeshConfigVersion, meshConfigSchema } from './mesh-config.ts';
import { toCrdSchema } from './schema/index.ts';

const printerColumns = [
  {
    name: 'Profile',
    type: 'string',
    jsonPath: '.spec.profile',
    description: 'Profile the spec is layered over.',
  },
  { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'Istio release asked for.' },
  {
    name: 'Active',
    type: 'string',
    jsonPath: '.status.activeRevision',
    description: 'Revision serving the spec.',
  },
  {
    name: 'Revisions',
    type: 'string',
    jsonPath: '.status.revisionsReady',
    description: 'Ready revisions over all revisions of the mesh.',
  },
  {
    name: 'In use',
    type: 'string',
    // kubectl prints only the first match of a filter, so the list is kept preformatted in status.
    jsonPath: '.status.revisionsInUse',
    description: 'Revisions that namespaces, tags, pods or gateways still use.',
  },
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'Whether every component is healthy.',
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function openApiSchema(): Record<string, unknown> {
  const schema = toCrdSchema(meshConfigSchema);
  const properties = schema.properties as Record<string, unknown>;
  // The API server owns metadata's schema: a CRD may only say it is an object.
  properties.metadata = { type: 'object' };
  return schema;
}

/** `meshconfigs.meshop.dev`. */
export const crdManifestName = `${MeshConfigNames.plural}.${MeshConfigGroup}`;

/** The CRD for MeshConfig (apiextensions.k8s.io/v1), as a plain JSON object. */
export function meshConfigCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdManifestName,
      labels: { 'app.kubernetes.io/name': 'meshop', 'app.kubernetes.io/part-of': 'meshop' },
    },
    spec: {
      group: MeshConfigGroup,
      names: { ...MeshConfigNames, shortNames: [...MeshConfigNames.shortNames] },
      scope: 'Cluster',
      versions: [
        {
          name: MeshConfigVersion,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns,
          schema: { openAPIV3Schema: openApiSchema() },
        },
      ],
    },
  };
}
