// Small builders for MeshConfigs as the CLI reads them from the cluster: a spec, a status the operator would
// have written, and the pieces of it (revisions, components, conditions).
import type {
  ComponentStatus,
  Condition,
  MeshConfigSpec,
  MeshConfigStatus,
  RevisionStatus,
} from '../../../src/api/index.ts';
import type { StoredMesh } from '../../../src/cli/cluster-meshes.ts';
import type { KubeObject } from '../../../src/kube/index.ts';
import { injectedPodMetadata } from '../../support/injected-pod.ts';

export function mesh(name: string, spec: MeshConfigSpec = {}, status?: MeshConfigStatus): StoredMesh {
  const m: StoredMesh = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig', metadata: { name }, spec };
  if (status !== undefined) m.status = status;
  return m;
}

export function condition(type: string, status: string, reason = 'Why', message = ''): Condition {
  return {
    type,
    status: status as Condition['status'],
    reason,
    message,
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
}

export function revision(
  name: string,
  version: string,
  inUse: Partial<NonNullable<RevisionStatus['inUse']>> = {},
): RevisionStatus {
  return {
    name,
    version,
    ready: true,
    inUse: { status: 'True', reason: 'Referenced', ...inUse },
  };
}

export function component(
  name: string,
  phase: string,
  extra: Partial<ComponentStatus> = {},
): ComponentStatus {
  return { name, phase: phase as ComponentStatus['phase'], ...extra };
}

/** A running pod the `old` revision injected, owned by `owner` when given. */
export function pod(namespace: string, name: string, owner?: { kind: string; name: string }): KubeObject {
  const metadata: KubeObject['metadata'] = { namespace, name, ...injectedPodMetadata('old', { name }) };
  if (owner !== undefined) {
    metadata.ownerReferences = [{ apiVersion: 'apps/v1', ...owner, uid: 'u', controller: true }];
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, status: { phase: 'Running' } };
}
