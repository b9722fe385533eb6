// The container images the addons run. The versions are those Istio's sample addons ship on its 1.31
// development line (samples/addons/ of istio.io/istio v0.0.0-20260827124520-eed52ebb66ad): fully qualified and
// pinned, so a render says exactly what will run and a GitOps diff shows every upgrade. Kiali's sample names the
// moving minor tag v2.27; we pin the patch release it labels its objects with (v2.27.0).

export const addonImages = {
  prometheus: 'docker.io/prom/prometheus:v3.10.0',
  prometheusConfigReloader: 'ghcr.io/prometheus-operator/prometheus-config-reloader:v0.89.0',
  grafana: 'docker.io/grafana/grafana:12.0.1',
  kiali: 'quay.io/kiali/kiali:v2.27.0',
  jaeger: 'docker.io/jaegertracing/jaeger:2.17.0',
  zipkin: 'docker.io/openzipkin/zipkin-slim:3.4.0',
} as const;

/** The tag of a pinned image reference: what the `app.kubernetes.io/version` labels carry. */
export function imageTag(image: string): string {
  return image.slice(image.lastIndexOf(':') + 1);
}
