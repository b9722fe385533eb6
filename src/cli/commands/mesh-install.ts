// What `meshop install` and `meshop uninstall` do on the cluster, loaded only when one of them runs (it brings
// in the Kubernetes client): apply or delete the MeshConfig, then follow the operator when asked to wait.
import { MeshConfigApiVersion, MeshConfigKind } from '../../api/index.ts';
import { fieldManager } from '../../apply/index.ts';
import type { KubeClient, KubeObject } from '../../kube/index.ts';
import { isKindNotServed, refOf } from '../../kube/index.ts';
import { applyOutcome, DeleteOutcome, reportLine, resourceName } from '../view/apply-report.ts';
import type { MeshWithStatus } from '../view/mesh-progress.ts';
import { waitForMesh } from '../mesh-wait.ts';
import { pollUntil } from '../poll-until.ts';
import type { ProgressView } from '../view/progress-view.ts';
import { PlainProgressView } from '../view/progress-view.ts';

export interface InstallRun {
  wait: boolean;
  timeoutMs: number;
  /** Draw the live view (a terminal, and --no-progress not given); plain lines otherwise. */
  live: boolean;
}

export interface UninstallRun {
  wait: boolean;
  timeoutMs: number;
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const meshConfigType = { apiVersion: MeshConfigApiVersion, kind: MeshConfigKind };

/** A cluster without the CRD: say what to do instead of "kind not served". */
async function orOperatorMissing<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!isKindNotServed(err)) throw err;
    const what = `${MeshConfigKind} (${MeshConfigApiVersion})`;
    throw new Error(`the cluster does not serve ${what}: run meshop operator init first`, { cause: err });
  }
}

async function progressView(subject: string, live: boolean): Promise<ProgressView> {
  if (!live) return new PlainProgressView(subject, print);
  // listr2 is loaded only for a terminal that shows it.
  const { LiveProgressView } = await import('../view/progress-live.ts');
  return new LiveProgressView(subject);
}

export async function installMesh(kube: KubeClient, mesh: KubeObject, run: InstallRun): Promise<void> {
  const before = await orOperatorMissing(kube.objects.find(refOf(mesh)));
  if (before?.metadata.deletionTimestamp !== undefined) {
    // An apply would only change the spec of a mesh on its way out; it would not bring it back.
    throw new Error(`${resourceName(mesh)} is being deleted: wait for its teardown, then install again`);
  }
  const applied = await kube.objects.apply(mesh, { fieldManager, force: true });
  print(reportLine(mesh, applyOutcome(before?.metadata.resourceVersion, applied.metadata.resourceVersion)));
  if (!run.wait) return;
  const view = await progressView(resourceName(mesh), run.live);
  await waitForMesh(kube, {
    name: mesh.metadata.name ?? '',
    generation: applied.metadata.generation ?? 0,
    timeoutMs: run.timeoutMs,
    view,
  });
}

/** Why a MeshConfig being deleted is still there: its teardown is blocked, or still under way. */
function teardownReason(mesh: MeshWithStatus): string {
  const blocked = mesh.status?.conditions?.find((c) => c.reason === 'TeardownBlocked');
  return blocked?.message ?? 'the operator is still tearing the mesh down';
}

export async function uninstallMesh(kube: KubeClient, name: string, run: UninstallRun): Promise<void> {
  const ref = { ...meshConfigType, name };
  const obj = { ...meshConfigType, metadata: { name } };
  if (!(await orOperatorMissing(kube.objects.delete(ref)))) throw new Error(`${resourceName(obj)} not found`);
  print(reportLine(obj, DeleteOutcome.Deleted));
  if (!run.wait) return;
  await pollUntil(
    `${resourceName(obj)} teardown`,
    async () => {
      const mesh = await kube.objects.find<MeshWithStatus>(ref);
      return mesh === undefined ? undefined : teardownReason(mesh);
    },
    { timeoutMs: run.timeoutMs },
  );
  print(`${resourceName(obj)} torn down`);
}
