// The MeshConfigs a cluster command works on: every one for `status`, and for commands that change one, the
// one --name names or, when the cluster has exactly one, that one.
import { MeshConfigApiVersion, MeshConfigKind } from '../api/index.ts';
import type { ComponentStatus, MeshConfigSpec, MeshConfigStatus } from '../api/index.ts';
import type { KubeObject, ObjectClient, ObjectRef } from '../kube/index.ts';
import { InputError } from './exit-codes.ts';
import { connectCluster } from './cluster-client.ts';
import type { GlobalOptions } from './global-options.ts';

export const meshType = { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind } as const;

export type StoredMesh = KubeObject & { spec?: MeshConfigSpec; status?: MeshConfigStatus };

export const meshRefOf = (name: string): ObjectRef => ({ ...meshType, name });

export const meshName = (mesh: StoredMesh): string => mesh.metadata.name ?? '';

/** The object client for the kubeconfig (and identity) the global flags name. */
export async function clusterClient(global: GlobalOptions): Promise<ObjectClient> {
  return (await connectCluster(global)).objects;
}

/** Every MeshConfig, sorted by name; none (not an error) when the cluster does not serve the kind at all. */
export async function listMeshes(client: ObjectClient): Promise<StoredMesh[]> {
  // Loaded on demand (as connectCluster does): the Kubernetes client costs most of the CLI's start-up time.
  const { isKindNotServed } = await import('../kube/index.ts');
  try {
    const { items } = await client.list<StoredMesh>(meshType);
    // Names are ASCII (DNS subdomains): code-unit order, as the API server lists them, and without the ~5 ms that
    // loading ICU's collation costs a `meshop status` on its first localeCompare.
    return items.sort((a, b) => (meshName(a) < meshName(b) ? -1 : meshName(a) > meshName(b) ? 1 : 0));
  } catch (err) {
    if (isKindNotServed(err)) return [];
    throw err;
  }
}

/** The mesh a command acts on: --name, else the only one. Every other case is the user's to resolve. */
export function pickMesh(meshes: readonly StoredMesh[], name: string | undefined): StoredMesh {
  const names = meshes.map(meshName);
  if (name !== undefined) {
    const found = meshes.find((m) => meshName(m) === name);
    if (found) return found;
    const known = names.length > 0 ? ` (there are: ${names.join(', ')})` : ' (there is none)';
    throw new InputError(`MeshConfig "${name}" not found${known}`);
  }
  const [only, ...more] = meshes;
  if (only === undefined) throw new InputError('there is no MeshConfig in the cluster');
  if (more.length > 0) {
    throw new InputError(`${String(meshes.length)} MeshConfigs (${names.join(', ')}): name one with --name`);
  }
  return only;
}

/** A component of a stored mesh's status that is a gateway (ingress or egress), by its name. */
export const isGateway = (c: ComponentStatus): boolean => /gateway/i.test(c.name);
