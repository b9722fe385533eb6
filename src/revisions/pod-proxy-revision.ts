// Which control-plane revision's proxy a pod runs, from its metadata only. istiod's injector marks every pod it
// injects with the `sidecar.istio.io/status` annotation, whose JSON names the revision of the istiod that
// injected it (pkg/kube/inject SidecarInjectionStatus.revision), and its templates add an `istio.io/rev`
// *annotation* with the same value. No `istio.io/rev` label is written on the pod: such a label only asks an
// injector for a revision and proves no proxy, so it is never read here.
import type { ObjectMeta } from '../objects/index.ts';
import { IstioAnnotation, IstioLabel } from '../objects/index.ts';
import { defaultRevisionName } from './naming.ts';

/**
 * A label selector for the pods that may run a proxy, so lists and informers never hold every pod of the
 * cluster. It selects on the label every injection template writes: `security.istio.io/tlsMode` is missing on
 * pods the gateway and grpc-agent templates inject (the Istio gateway chart's default), whose proxies use the
 * revision just the same. A superset (users may set the label themselves): `podProxyRevision` decides.
 */
export const injectedPodSelector: string = IstioLabel.canonicalName;

const nonEmpty = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** The `revision` field of a sidecar status, if it has a non-empty one. */
function statusRevision(status: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(status);
  } catch {
    // Unreadable: still injected (istiod treats the annotation's presence as "already injected"); fall back.
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('revision' in parsed)) return undefined;
  return typeof parsed.revision === 'string' ? nonEmpty(parsed.revision) : undefined;
}

/**
 * The revision whose proxy the pod runs: its sidecar status's `revision`, else its `istio.io/rev` annotation,
 * else `default`. Undefined for a pod that was not injected, whatever its labels ask for.
 */
export function podProxyRevision(meta: Pick<ObjectMeta, 'annotations'>): string | undefined {
  const status = meta.annotations?.[IstioAnnotation.sidecarStatus];
  if (status === undefined) return undefined;
  return (
    statusRevision(status) ?? nonEmpty(meta.annotations?.[IstioAnnotation.revision]) ?? defaultRevisionName
  );
}
