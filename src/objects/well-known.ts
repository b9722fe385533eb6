// Every well-known label, annotation and finalizer name meshop reads or writes, in one place: Istio's (namespaces
// ask for a revision with labels; istiod's injector records on each pod, as annotations, which revision's proxy
// it added: `istio.io/rev` is a label on a namespace but an annotation on an injected pod) and meshop's own.

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

/** The labels meshop puts on every object it applies: prune and the informers find what it owns by them. */
export const MeshopLabel = {
  managedBy: 'app.kubernetes.io/managed-by',
  mesh: 'meshop.dev/mesh',
  component: 'meshop.dev/component',
  /** On every object of one control-plane revision (istiod and its webhooks): what removing it deletes. */
  controlPlane: 'meshop.dev/revision',
  /** The Istio release a control-plane revision runs, next to meshop.dev/revision. */
  istioVersion: 'meshop.dev/istio-version',
} as const;

/** The value of app.kubernetes.io/managed-by on meshop's objects. */
export const managedByValue = 'meshop';

export const MeshopAnnotation = {
  /** On an applied object: the hash of what was rendered, so a converged object is not written again. */
  renderHash: 'meshop.dev/render-hash',
  /** On a MeshConfig: take over existing objects meshop did not create. */
  adoptExisting: 'meshop.dev/adopt-existing',
  /** On a MeshConfig: allow a version further from what the revisions run than the skew policy allows. */
  allowVersionSkew: 'meshop.dev/allow-version-skew',
  /** On a restarted pod template: the revision the restart was for (never restarted twice for one). */
  restartedFor: 'meshop.dev/restarted-for',
} as const;

/** The finalizer that holds a MeshConfig until what it owns is torn down. */
export const meshFinalizerName = 'meshop.dev/teardown';
