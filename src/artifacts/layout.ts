// Where each artifact comes from, and where it lives in an artifacts directory:
//   <root>/<version>/artifacts.json          what was built from where, with a SHA-256 per file
//   <root>/<version>/charts/...              the release's Helm charts (manifests/charts), evaluated by src/charts;
//                                            they carry the CRDs and the sidecar-injection templates too
//   <root>/<version>/profiles/<name>.yaml    the release's installation profiles (IstioOperator files)
//   <root>/<version>/api/<import path>       the protobuf definitions of the release's `meshConfig` and `values`
//                                            and of the Kubernetes types `k8s` settings become, as imported
//   <root>/chart-engine.wasm                 the chart engine, one for every release

export const manifestFile = 'artifacts.json';

/** Directories copied whole. The catalog pins each by a digest of its files (treeDigest). */
export const chartsDir = 'charts';
export const profilesDir = 'profiles';
export const apiDir = 'api';
/** The chart engine (src/charts), one for every release, kept at the artifacts root. */
export const chartEngineFile = 'chart-engine.wasm';

/** Paths inside the istio.io/istio module. */
export const chartsSource = 'manifests/charts';
export const profilesSource = 'manifests/profiles';

/**
 * The API definitions validation needs, by import path: what istioctl decodes `meshConfig` (istio.io/api) and
 * `values` (the istio module's operator API) into, and the Kubernetes types of the `k8s` settings. Their imports
 * are followed when the artifacts are built, so the directory holds everything they need.
 */
export const apiEntryFiles = [
  'mesh/v1alpha1/config.proto',
  'pkg/apis/values_types.proto',
  'k8s.io/api/core/v1/generated.proto',
  'k8s.io/api/apps/v1/generated.proto',
  'k8s.io/api/autoscaling/v2/generated.proto',
  'k8s.io/api/policy/v1/generated.proto',
] as const;

export interface ArtifactsManifest {
  version: string;
  source: {
    module: string;
    moduleVersion: string;
    moduleSum?: string;
    /** Other modules the API definitions came from, path → version. */
    apiModules?: Record<string, string>;
  };
  /** Relative path → SHA-256 (hex) of the file's bytes. */
  files: Record<string, string>;
}
