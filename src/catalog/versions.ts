// The Istio releases meshop knows how to install, and what differs between them.
//
// Facts, not code: hubs, tags and the Go module version that carries a release's charts. Istio publishes no
// semver tags for its Go module, so a release is reached through the pseudo-version of a commit; the module
// proxy these machines use serves only some commits (see docs/istio-versions.md).

export interface IstioRelease {
  /** What users write in `spec.version`. */
  version: string;
  /** `major.minor`, the unit of compatibility (revision names, compatibilityVersion). */
  minor: string;
  /** Default image registry root and tag when the spec names none. */
  hub: string;
  tag: string;
  /** The `istio.io/istio` Go module version whose `manifests/` hold this release's artifacts, if reachable. */
  istioModule: string | undefined;
  /**
   * For each directory of the artifacts (`charts/`, `profiles/`, `api/`; see src/artifacts), the digest of its
   * files' checksums (treeDigest) as built from `istioModule`; loading refuses what differs. Empty when the release's artifacts cannot be built here and must be supplied as a directory.
   */
  artifactChecksums: Readonly<Record<string, string>>;
  /**
   * The oldest Kubernetes `major.minor` the release supports: the charts see it as .Capabilities.KubeVersion,
   * as with istioctl's offline render (MinK8SVersion in istioctl/pkg/install/k8sversion).
   */
  minKubernetes: string;
  /**
   * The `istio.io/api` version whose definitions `meshConfig` is validated against, when the one the istio
   * module's go.mod requires is not the release's (or not served); unset means the go.mod's.
   */
  istioApiModule?: string;
  /**
   * The names of the CustomResourceDefinitions the release's charts render: the installer grants the operator
   * patch and delete on these names only (test/unit/render/render-mesh.test.ts checks them against a render).
   */
  crdNames: readonly string[];
}

// The CRDs of Istio 1.30 and 1.31 (the same fifteen in both releases' base chart).
const istioCrdNames: readonly string[] = [
  'authorizationpolicies.security.istio.io',
  'destinationrules.networking.istio.io',
  'envoyfilters.networking.istio.io',
  'gateways.networking.istio.io',
  'peerauthentications.security.istio.io',
  'proxyconfigs.networking.istio.io',
  'requestauthentications.security.istio.io',
  'serviceentries.networking.istio.io',
  'sidecars.networking.istio.io',
  'telemetries.telemetry.istio.io',
  'trafficextensions.extensions.istio.io',
  'virtualservices.networking.istio.io',
  'wasmplugins.extensions.istio.io',
  'workloadentries.networking.istio.io',
  'workloadgroups.networking.istio.io',
];

export const releases: readonly IstioRelease[] = [
  {
    version: '1.31.0',
    minor: '1.31',
    // The release-1.31 branch snapshot whose CRDs equal istio.io/api v1.31.0 (docs/istio-versions.md).
    hub: 'docker.io/istio',
    tag: '1.31.0',
    istioModule: 'v0.0.0-20260827124520-eed52ebb66ad',
    istioApiModule: 'v1.31.0',
    minKubernetes: '1.32',
    crdNames: istioCrdNames,
    artifactChecksums: {
      'charts/': '1e06aa62a99b805c0cc7f15634b6fcfa2658f0659c5ee1e77bb948186c24e50a',
      'profiles/': '4602260e2a9ea70ccd1830fe9f012e04b720058999e5c060dc6bd91ee1c2c47b',
      'api/': 'd9354cb9c0b5aba9ecd0a3c13ba4040583a4a12e5cd7822a5f29d62965c755bf',
    },
  },
  {
    version: '1.30.8',
    minor: '1.30',
    // The release-1.30 branch snapshot whose CRDs equal istio.io/api v1.30.8 (docs/istio-versions.md).
    hub: 'docker.io/istio',
    tag: '1.30.8',
    istioModule: 'v0.0.0-20260826214018-9739e10eb9d7',
    istioApiModule: 'v1.30.8',
    minKubernetes: '1.32',
    crdNames: istioCrdNames,
    artifactChecksums: {
      'charts/': '8be2bbbbc59b2e5b4012f4c56c4584f912e1925ad7a88a3363f6f259500b47a8',
      'profiles/': '4602260e2a9ea70ccd1830fe9f012e04b720058999e5c060dc6bd91ee1c2c47b',
      'api/': 'be5c5757e5553164a8df7fb12d5bfd0cdcc6bfae89ea2cd671479562e84d8abb',
    },
  },
];

export class UnknownVersionError extends Error {
  constructor(version: string) {
    super(`unknown Istio version "${version}" (known: ${releases.map((r) => r.version).join(', ')})`);
    this.name = 'UnknownVersionError';
  }
}

export const knownVersions: readonly string[] = releases.map((r) => r.version);

/** The newest catalogued release: what a MeshConfig without `spec.version` gets. */
export const defaultVersion: string = releases[0]?.version ?? '';

export function getRelease(version: string): IstioRelease {
  const found = releases.find((r) => r.version === version);
  if (!found) throw new UnknownVersionError(version);
  return found;
}
