// `meshop operator init`: server-side applies the installer's objects in order (the CRD Established before
// anything after it), then waits for the operator Deployment to be Available. Re-running it is an upgrade, or
// a no-op that says "unchanged" for every object.
import { fieldManager, isSubset, readinessOf } from '../../apply/index.ts';
import type { KubeClient, KubeObject } from '../../kube/index.ts';
import { refOf } from '../../kube/index.ts';
import { applyEntryOf, applyOutcome, reportLine, resourceName } from '../view/apply-report.ts';
import { pollUntil } from '../poll-until.ts';

/** Waits until readinessOf says the live object is ready (CRD Established, Deployment Available). */
function waitReady(kube: KubeClient, obj: KubeObject, deadline: number): Promise<void> {
  return pollUntil(
    `${resourceName(obj)} ready`,
    async () => {
      const live = await kube.objects.find(refOf(obj));
      if (live === undefined) return 'not found';
      const readiness = readinessOf(live);
      return readiness.ready ? undefined : readiness.reason;
    },
    { timeoutMs: Math.max(deadline - Date.now(), 0) },
  );
}

/**
 * Applies the objects in order, printing a line per object, deletes what an earlier run with other options
 * applied and these leave out (the restart role after `--no-workload-restarts`, the disruption budget after
 * scaling to one replica), then prints a line once the operator is Available.
 */
export async function initOperator(
  kube: KubeClient,
  installer: { objects: readonly KubeObject[]; leftovers: readonly KubeObject[] },
  timeoutMs: number,
  print: (line: string) => void,
): Promise<void> {
  const { objects } = installer;
  const deadline = Date.now() + timeoutMs;
  for (const obj of objects) {
    const before = await kube.objects.find(refOf(obj));
    // Applied before and still holding every field: not sent again. An apply that changes nothing is not always
    // a no-op: the API server stores a ValidatingAdmissionPolicy anew on every server-side apply.
    const held =
      before !== undefined && applyEntryOf(before, fieldManager) !== undefined && isSubset(obj, before);
    const after = held ? before : await kube.objects.apply(obj, { fieldManager, force: true });
    print(reportLine(obj, applyOutcome(before, after, fieldManager)));
    if (obj.kind === 'CustomResourceDefinition') {
      await waitReady(kube, obj, deadline);
      // Discovery answers cached before the CRD existed do not list its kind.
      kube.objects.discovery.invalidate();
    }
  }
  for (const obj of installer.leftovers) {
    if (await kube.objects.delete(refOf(obj))) print(`${resourceName(obj)} deleted`);
  }
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    await waitReady(kube, deployment, deadline);
    print(`${resourceName(deployment)} available`);
  }
}
