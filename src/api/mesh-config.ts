// The MeshConfig resource as a whole: its identity (group, version, kind, names) and the root schema that the
// CRD and the offline validator share.
import type { ObjectMeta } from '../objects/index.ts';
import { meshConfigSpecSchema } from './mesh-config-spec.ts';
import { meshConfigStatusSchema } from './mesh-config-status.ts';
import * as s from './schema/index.ts';

export const MeshConfigGroup = 'meshop.dev';
export const MeshConfigVersion = 'v1alpha1';
export const MeshConfigApiVersion = `${MeshConfigGroup}/${MeshConfigVersion}` as const;
export const MeshConfigKind = 'MeshConfig';

export const MeshConfigNames = {
  plural: 'meshconfigs',
  singular: 'meshconfig',
  kind: MeshConfigKind,
  listKind: 'MeshConfigList',
  shortNames: ['mesh'],
} as const;

// The name is the value of the meshop.dev/mesh label on every owned object, and label values stop at 63.
const maxNameLength = 63;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameRule =
  `must be a DNS-1123 subdomain of at most ${maxNameLength} characters ` + '(it is used as a label value)';

function checkName(name: unknown, path: string): s.ValidationError[] {
  if (name === undefined) return [s.validationError(path, 'required field is missing')];
  if (typeof name !== 'string' || name.length > maxNameLength || !dnsSubdomain.test(name)) {
    return [s.validationError(path, `${nameRule}, not ${JSON.stringify(name)}`)];
  }
  return [];
}

// The API server checks the name's syntax itself; CEL adds only the length. Offline, both are checked.
const nameFitsLabel: s.Invariant<{ metadata?: Record<string, unknown> }> = {
  rule: `self.metadata.name.size() <= ${maxNameLength}`,
  message: `metadata.name must be at most ${maxNameLength} characters: it is used as a label value`,
  check: ({ metadata }, path) =>
    checkName(metadata?.name, s.childPath(s.childPath(path, 'metadata'), 'name')),
};

export const meshConfigSchema = s.object(
  'MeshConfig installs, upgrades and removes one Istio service mesh. The spec is an IstioOperator spec ' +
    'plus the Istio version, the update strategy, revision tags, addons and teardown policy.',
  {
    apiVersion: s.string(`${MeshConfigApiVersion}.`),
    kind: s.string(`${MeshConfigKind}.`),
    // Kubernetes validates metadata itself; the CRD may only describe it as an object.
    metadata: s.freeForm('Standard object metadata.'),
    spec: meshConfigSpecSchema,
    status: meshConfigStatusSchema,
  },
  { rules: [nameFitsLabel] },
);

type MeshConfigShape = s.Infer<typeof meshConfigSchema>;

/** A MeshConfig as stored in the cluster: `metadata` typed as the operator reads it. */
export type MeshConfig = Omit<MeshConfigShape, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: typeof MeshConfigApiVersion;
  kind: typeof MeshConfigKind;
  metadata: ObjectMeta;
};
