// A mesh run by the operator in-process with the real istiod of its release (the pod runner starts the release's
// pilot-discovery for each istiod pod), and what real injection and istiod's own log show.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { meshConfigCrd } from '../../src/api/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { createOperator } from '../../src/operator/index.ts';
import { meshRef, meshType } from '../../src/reconcile/index.ts';
import type { MeshObject } from '../../src/reconcile/index.ts';
import type { Manager } from '../../src/runtime/index.ts';
import { silentLogger } from '../../src/runtime/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { eventually } from './eventually.ts';
import { artifactsRoot } from './render-fixtures.ts';

export interface RunningOperator {
  manager: Manager;
  stop(): Promise<void>;
}

/** The MeshConfig CRD served, and the operator started in-process with the catalogued releases. */
export async function startOperator(kube: KubeClient): Promise<RunningOperator> {
  await kube.objects.apply(meshConfigCrd() as unknown as KubeObject, {
    fieldManager: 'meshop-test',
    force: true,
  });
  await eventually('MeshConfig served', async () => (await kube.objects.list(meshType), true), 30_000);
  const manager = await createOperator({
    kube,
    artifactsRoot,
    logger: silentLogger(),
    probeAddress: { host: '127.0.0.1', port: 0 },
  });
  const stopped = manager.start();
  return {
    manager,
    stop: async () => {
      manager.stop();
      await stopped;
    },
  };
}

const isTrue = (mesh: MeshObject | undefined, type: string): boolean =>
  mesh?.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;

export async function applyMesh(
  kube: KubeClient,
  name: string,
  spec: Record<string, unknown>,
): Promise<void> {
  await kube.objects.apply(
    { ...meshType, metadata: { name }, spec },
    { fieldManager: 'meshop-test', force: true },
  );
}

/** Waits until the mesh is Ready for its current generation. */
export async function meshReady(kube: KubeClient, name: string, timeoutMs = 120_000): Promise<MeshObject> {
  let last: MeshObject | undefined;
  await eventually(
    `mesh ${name} Ready`,
    async () => {
      last = await kube.objects.find<MeshObject>(meshRef(name));
      return isTrue(last, 'Ready') && last?.status?.observedGeneration === last?.metadata.generation;
    },
    timeoutMs,
  );
  if (!last) throw new Error(`mesh ${name} vanished`);
  return last;
}

/** Deletes the mesh and waits until the operator has torn it down (its finalizer gone). */
export async function deleteMesh(kube: KubeClient, name: string, timeoutMs = 120_000): Promise<void> {
  await kube.objects.delete(meshRef(name));
  await eventually(
    'mesh gone',
    async () => (await kube.objects.find(meshRef(name))) === undefined,
    timeoutMs,
  );
}

export interface PodShape {
  containers: { name: string; image: string }[];
  initContainers?: { name: string; image: string }[];
}

/** Creates a bare Pod and returns it as the API server stored it (after every mutating webhook). */
export async function createPod(kube: KubeClient, namespace: string, name: string): Promise<KubeObject> {
  return kube.objects.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name } },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
  });
}

export const containerNames = (pod: KubeObject): string[] =>
  ((pod.spec as PodShape | undefined)?.containers ?? []).map((c) => c.name);

export const proxyImage = (pod: KubeObject): string | undefined =>
  (pod.spec as PodShape | undefined)?.containers.find((c) => c.name === 'istio-proxy')?.image;

/** The logs the pod runner wrote for every istiod container of the cluster so far. */
export function istiodLogs(cluster: Cluster): { file: string; text: string }[] {
  const dir = join(cluster.dir, 'logs', 'pods');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('_discovery.log'))
    .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));
}
