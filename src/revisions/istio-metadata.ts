// The well-known label and annotation names meshop reads to learn what uses a revision. Namespaces ask for a
// revision with labels; istiod's injector records on each pod, as annotations, which revision's proxy it added.
// The two must not be confused: `istio.io/rev` is a label on a namespace but an annotation on an injected pod.

export const IstioLabel = {
  /** On a namespace (or a pod, before injection): which injector to call, by revision or tag. */
  revision: 'istio.io/rev',
  injection: 'istio-injection',
  tag: 'istio.io/tag',
  /** Written on the pod by the sidecar injection template (not by the gateway or grpc-agent templates). */
  tlsMode: 'security.istio.io/tlsMode',
  /** Written on the pod by every injection template (sidecar, gateway, grpc-agent). */
  canonicalName: 'service.istio.io/canonical-name',
} as const;

export const IstioAnnotation = {
  /** On an injected pod: the revision of the istiod that injected it (`default` for an unrevisioned one). */
  revision: 'istio.io/rev',
  /** On an injected pod: JSON istiod's injector writes (pkg/kube/inject SidecarInjectionStatus). */
  sidecarStatus: 'sidecar.istio.io/status',
} as const;
