// Where each artifact comes from in Istio's source tree, and where it lives in an artifacts directory:
//   <root>/<version>/artifacts.json          what was built from where, with a SHA-256 per file
//   <root>/<version>/crds.yaml               every Istio CRD, exactly as the release ships it
//   <root>/<version>/injection/<name>.yaml   the sidecar-injection templates istiod executes
//   <root>/<version>/values/istiod.yaml      istiod's chart defaults, which those templates read
//   <root>/<version>/charts/...              the release's Helm charts (manifests/charts), evaluated by src/charts
//   <root>/<version>/profiles/<name>.yaml    the release's installation profiles (IstioOperator files)

export const manifestFile = 'artifacts.json';
export const crdsFile = 'crds.yaml';
/** istiod's chart defaults: the sidecar-injection templates read them through the injector's `values`. */
export const istiodValuesFile = 'values/istiod.yaml';

/** Directories copied whole: the charts and the profiles. The catalog pins each by a digest of its files. */
export const chartsDir = 'charts';
/** The chart engine (src/charts), one for every release, kept at the artifacts root. */
export const chartEngineFile = 'chart-engine.wasm';
export const profilesDir = 'profiles';

/** Paths inside the istio.io/istio module. */
export const crdSource = 'manifests/charts/base/files/crd-all.gen.yaml';
export const istiodValuesSource = 'manifests/charts/istio-control/istio-discovery/values.yaml';

export const chartsSource = 'manifests/charts';
export const profilesSource = 'manifests/profiles';

const discoveryFiles = 'manifests/charts/istio-control/istio-discovery/files';

/** Template name (the key istiod looks up) → file name in Istio's tree. */
export const injectionSources: Readonly<Record<string, string>> = {
  sidecar: `${discoveryFiles}/injection-template.yaml`,
  gateway: `${discoveryFiles}/gateway-injection-template.yaml`,
  'grpc-simple': `${discoveryFiles}/grpc-simple.yaml`,
  'grpc-agent': `${discoveryFiles}/grpc-agent.yaml`,
  waypoint: `${discoveryFiles}/waypoint.yaml`,
  'kube-gateway': `${discoveryFiles}/kube-gateway.yaml`,
  agentgateway: `${discoveryFiles}/agentgateway.yaml`,
  'agentgateway-waypoint': `${discoveryFiles}/agentgateway-waypoint.yaml`,
};

export function injectionFile(name: string): string {
  return `injection/${name}.yaml`;
}

export interface ArtifactsManifest {
  version: string;
  source: { module: string; moduleVersion: string; moduleSum?: string };
  /** Relative path → SHA-256 (hex) of the file's bytes. */
  files: Record<string, string>;
}
