// The MeshConfig as the reconciler handles it: its type, finalizer and the selector of what it owns.
import { meshFinalizerName } from '../objects/index.ts';
import type { MeshConfigStatus } from '../api/index.ts';
import { MeshConfigApiVersion, MeshConfigKind } from '../api/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { ownedBySelector } from '../render/index.ts';

export const meshType = { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind } as const;

/** Held on every MeshConfig until teardown has removed what it owns. */
export const meshFinalizer = meshFinalizerName;

export type MeshObject = KubeObject & { status?: MeshConfigStatus; spec?: Record<string, unknown> };

export const meshRef = (name: string) => ({ ...meshType, name });

export const ownedSelectorOf = (mesh: KubeObject): string => ownedBySelector(mesh.metadata.name ?? '');
