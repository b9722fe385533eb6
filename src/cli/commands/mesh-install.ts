// What `meshop install` and `meshop uninstall` do on the cluster, loaded only when one of them runs (it brings
// in the Kubernetes client): apply or delete the MeshConfig, then follow the operator when asked to wait.
import { MeshConfigApiVersion, MeshConfigKind, adoptExistingAnnotation } from '../../api/index.ts';
import { fieldManager } from '../../apply/index.ts';
import type { KubeClient, KubeObject } from '../../kube/index.ts';
import { isKindNotServed, refOf } from '../../kube/index.ts';
import { applyOutcome, DeleteOutcome, reportLine, resourceName } from '../view/apply-report.ts';
import type { MeshWithStatus } from '../view/mesh-progress.ts';
import { MeshFailedError, waitForMesh } from '../mesh-wait.ts';
import type { Confirm } from '../view/confirm.ts';
import { pollUntil } from '../poll-until.ts';
import type { ProgressView } from '../view/progress-view.ts';
import { PlainProgressView } from '../view/progress-view.ts';

export interface InstallRun {
  wait: boolean;
  timeoutMs: number;
  /** Draw the live view (a terminal, and --no-progress not given); plain lines otherwise. */
  live: boolean;
  /** Asks whether to adopt objects meshop did not create; unset where nobody can answer (no terminal). */
  confirmAdoption?: Confirm | undefined;
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
  print(reportLine(mesh, applyOutcome(before, applied, fieldManager)));
  if (!run.wait) return;
  const deadline = Date.now() + run.timeoutMs;
  const remaining = (): number => Math.max(deadline - Date.now(), 0);
  const follow = async (): Promise<void> => {
    await waitForMesh(kube, {
      name: mesh.metadata.name ?? '',
      generation: applied.metadata.generation ?? 0,
      timeoutMs: remaining(),
      view: await progressView(resourceName(mesh), run.live),
    });
  };
  try {
    await follow();
  } catch (err) {
    if (!(await adoptOnRequest(kube, mesh, err, { ...run, timeoutMs: remaining() }))) throw err;
    await follow();
  }
}

/** Conflicts that adoption would settle: objects nobody's mesh owns (another mesh's objects are never taken). */
function adoptable(message: string): boolean {
  return message.includes(`${adoptExistingAnnotation}=true`) && !message.includes('owned by MeshConfig');
}

/**
 * After a wait stopped by objects meshop did not create (an istiod of istioctl or Helm), asks whether to take them
 * over; on yes, annotates the MeshConfig and waits (at most run.timeoutMs, what is left of the wait) until the
 * operator has looked again. False when not asked or declined: the caller reports the failure as it was.
 */
async function adoptOnRequest(
  kube: KubeClient,
  mesh: KubeObject,
  err: unknown,
  run: InstallRun,
): Promise<boolean> {
  if (!(err instanceof MeshFailedError) || !adoptable(err.message) || !run.confirmAdoption) return false;
  print(err.message);
  const question =
    'Adopt these objects? meshop will manage them from now on and delete them when the mesh is uninstalled.';
  if (!(await run.confirmAdoption(question))) return false;
  const ref = refOf(mesh);
  await kube.objects.mergePatch(ref, { metadata: { annotations: { [adoptExistingAnnotation]: 'true' } } });
  print(`${resourceName(mesh)} annotated ${adoptExistingAnnotation}=true`);
  // The status still holds the conflict until the operator reconciles the annotated MeshConfig.
  await pollUntil(
    `${resourceName(mesh)} reconciled after adoption`,
    async () => {
      const live = await kube.objects.find<MeshWithStatus>(ref);
      const reconciled = live?.status?.conditions?.find((c) => c.type === 'Reconciled');
      return reconciled?.reason === 'Conflict' && adoptable(reconciled.message)
        ? 'still in conflict'
        : undefined;
    },
    { timeoutMs: run.timeoutMs },
  );
  return true;
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
