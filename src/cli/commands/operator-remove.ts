// `meshop operator remove`: deletes what `operator init` applied, Deployment first (so nothing reconciles while
// its permissions go) and the namespace last. The CRD, and with it every MeshConfig, goes only with --purge:
// deleting it while a MeshConfig exists would drop the mesh's description but leave the mesh running, so
// --purge refuses then, unless --force, which deletes the MeshConfigs first and lets the still-running
// operator tear their meshes down before it goes itself.
import { MeshConfigApiVersion, MeshConfigKind } from '../../api/index.ts';
import type { KubeClient, KubeObject, ObjectRef } from '../../kube/index.ts';
import { isKindNotServed, refOf } from '../../kube/index.ts';
import { DeleteOutcome, reportLine, resourceName } from '../view/apply-report.ts';
import { pollUntil } from '../poll-until.ts';
import { renderInstaller } from '../../installer/index.ts';

export interface OperatorRemoveOptions {
  namespace: string;
  purge: boolean;
  force: boolean;
  timeoutMs: number;
}

const meshConfigType = { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind };

async function meshConfigs(kube: KubeClient): Promise<KubeObject[]> {
  try {
    return (await kube.objects.list(meshConfigType)).items;
  } catch (err) {
    if (isKindNotServed(err)) return [];
    throw err;
  }
}

/** Deletes each object, printing a line each; returns the refs of those that were there. */
async function deleteAll(
  kube: KubeClient,
  objects: readonly KubeObject[],
  print: (line: string) => void,
): Promise<ObjectRef[]> {
  const deleted: ObjectRef[] = [];
  for (const obj of objects) {
    const existed = await kube.objects.delete(refOf(obj));
    print(reportLine(obj, existed ? DeleteOutcome.Deleted : DeleteOutcome.Absent));
    if (existed) deleted.push(refOf(obj));
  }
  return deleted;
}

/** Waits until every ref is gone: a namespace only is once everything in it is. */
function waitGone(
  kube: KubeClient,
  refs: readonly ObjectRef[],
  deadline: number,
  what: string,
): Promise<void> {
  return pollUntil(
    what,
    async () => {
      for (const ref of refs) {
        if ((await kube.objects.find(ref)) !== undefined)
          return `${resourceName({ ...ref, metadata: ref })} still exists`;
      }
      return undefined;
    },
    { timeoutMs: Math.max(deadline - Date.now(), 0) },
  );
}

/** --purge: the MeshConfigs in the way, refused unless --force, then deleted and torn down. */
async function clearMeshConfigs(
  kube: KubeClient,
  options: OperatorRemoveOptions,
  deadline: number,
  print: (line: string) => void,
): Promise<void> {
  const meshes = await meshConfigs(kube);
  if (meshes.length === 0) return;
  const names = meshes.map((m) => m.metadata.name ?? '').join(', ');
  if (!options.force) {
    throw new Error(
      `refusing to purge: MeshConfig(s) still exist: ${names} (uninstall them first, or add --force to delete them)`,
    );
  }
  const deleted = await deleteAll(kube, meshes, print);
  // The operator's finalizer holds each MeshConfig until its mesh is torn down.
  await waitGone(kube, deleted, deadline, 'teardown of the MeshConfigs by the operator (is it running?)');
}

/** What an install made: the PodDisruptionBudget only exists if it was installed with more than one replica. */
async function installedObjects(kube: KubeClient, namespace: string): Promise<KubeObject[]> {
  const all = renderInstaller({ namespace, replicas: 2 });
  const budget = all.find((o) => o.kind === 'PodDisruptionBudget');
  if (budget === undefined || (await kube.objects.find(refOf(budget))) !== undefined) return all;
  return all.filter((o) => o !== budget);
}

export async function removeOperator(
  kube: KubeClient,
  options: OperatorRemoveOptions,
  print: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  if (options.purge) await clearMeshConfigs(kube, options, deadline, print);
  const objects = await installedObjects(kube, options.namespace);
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const rest = objects.filter((o) => o.kind !== 'CustomResourceDefinition').reverse();
  const deleted = await deleteAll(kube, rest, print);
  if (options.purge) deleted.push(...(await deleteAll(kube, crds, print)));
  await waitGone(kube, deleted, deadline, 'removal');
}
