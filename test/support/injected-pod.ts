// What istiod's injection writes on a pod's metadata, for unit tests of pure logic that need injected pods
// (integration tests get theirs from the real istiod; test/integration/real-istiod.test.ts checks the same
// fields on pods the real injector wrote). From the release's templates (manifests/charts/istio-control/istio-discovery/files/
// injection-template.yaml and gateway-injection-template.yaml) and the status annotation the injector adds
// (pkg/kube/inject SidecarInjectionStatus): the labels tlsMode (sidecar template only), canonical-name and
// canonical-revision, the annotations istio.io/rev and sidecar.istio.io/status. No `istio.io/rev` label: meshop
// must find the proxy's revision where real injection puts it.

type StringMap = Record<string, string>;

/** The pod as the injector receives it: what the templates keep or derive their values from. */
export interface PodBeforeInjection {
  name?: string | undefined;
  generateName?: string | undefined;
  labels?: StringMap | undefined;
  annotations?: StringMap | undefined;
}

export interface InjectedMetadata {
  labels: StringMap;
  annotations: StringMap;
}

/** `sidecar` is the default template; `gateway` (the Istio gateway chart's choice) writes no tlsMode label. */
export type InjectionTemplate = 'sidecar' | 'gateway';

/** The `sidecar.istio.io/status` JSON istiod writes, with its fields in the order Go serializes them. */
export function sidecarStatus(revision: string): string {
  return JSON.stringify({
    initContainers: ['istio-init'],
    containers: ['istio-proxy'],
    volumes: [
      'workload-socket',
      'credential-socket',
      'workload-certs',
      'istio-envoy',
      'istio-data',
      'istio-podinfo',
      'istio-token',
      'istiod-ca-cert',
      'istio-ca-crl',
    ],
    imagePullSecrets: null,
    revision,
  });
}

function canonicalName(pod: PodBeforeInjection): string {
  const labels = pod.labels ?? {};
  const workload = pod.name ?? pod.generateName?.replace(/-$/, '') ?? 'workload';
  return (
    labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? workload
  );
}

function canonicalRevision(pod: PodBeforeInjection): string {
  const labels = pod.labels ?? {};
  return (
    labels['service.istio.io/canonical-revision'] ??
    labels['app.kubernetes.io/version'] ??
    labels.version ??
    'latest'
  );
}

/** The pod's labels and annotations once `revision`'s injector has injected it (its own ones kept). */
export function injectedPodMetadata(
  revision: string,
  pod: PodBeforeInjection = {},
  template: InjectionTemplate = 'sidecar',
): InjectedMetadata {
  const rev = revision === '' ? 'default' : revision;
  const tlsMode = pod.labels?.['security.istio.io/tlsMode'] ?? 'istio';
  return {
    labels: {
      ...pod.labels,
      ...(template === 'sidecar' ? { 'security.istio.io/tlsMode': tlsMode } : {}),
      'service.istio.io/canonical-name': canonicalName(pod),
      'service.istio.io/canonical-revision': canonicalRevision(pod),
    },
    annotations: {
      ...pod.annotations,
      'istio.io/rev': rev,
      'sidecar.istio.io/status': sidecarStatus(rev),
    },
  };
}
