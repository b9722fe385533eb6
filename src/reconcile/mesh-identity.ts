// Which control plane a MeshConfig claims: its namespace and revision. Two MeshConfigs must never claim the same
// one, or each would prune the other's objects; the older claim wins.
import type { KubeObject } from '../kube/index.ts';
import { getPath } from '../tree/index.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';

export interface MeshClaim {
  namespace: string;
  revision: string;
}

function text(spec: ReadonlyJsonObject, path: string): string {
  const v = getPath(spec, path);
  return typeof v === 'string' ? v : '';
}

export function claimOf(mesh: KubeObject): MeshClaim {
  const spec = (mesh.spec ?? {}) as ReadonlyJsonObject;
  return {
    namespace: text(spec, 'namespace') || text(spec, 'values.global.istioNamespace') || 'istio-system',
    revision: text(spec, 'revision') || text(spec, 'values.revision') || 'default',
  };
}

function olderThan(a: KubeObject, b: KubeObject): boolean {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta !== tb ? ta < tb : (a.metadata.name ?? '') < (b.metadata.name ?? '');
}

/** The older MeshConfig that claims the same control plane as `mesh`, if any. */
export function conflictingMesh(mesh: KubeObject, all: readonly KubeObject[]): KubeObject | undefined {
  const mine = claimOf(mesh);
  return all.find((other) => {
    if (other.metadata.name === mesh.metadata.name || other.metadata.deletionTimestamp) return false;
    const theirs = claimOf(other);
    return theirs.namespace === mine.namespace && theirs.revision === mine.revision && olderThan(other, mesh);
  });
}
