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
   * SHA-256 of each artifact file (see src/artifacts) as built from `istioModule`, and for the directories copied
   * whole (`charts/`, `profiles/`) the digest of their files' checksums (treeDigest); loading refuses what
   * differs. Empty when the release's artifacts cannot be built here and must be supplied as a directory.
   */
  artifactChecksums: Readonly<Record<string, string>>;
  /**
   * The oldest Kubernetes `major.minor` the release supports: the charts see it as .Capabilities.KubeVersion,
   * as with istioctl's offline render (MinK8SVersion in istioctl/pkg/install/k8sversion).
   */
  minKubernetes: string;
  /** Sidecar-injection templates istiod of this release expects in `istio-sidecar-injector`'s `config`. */
  injectionTemplates: readonly string[];
}

const templates130 = ['sidecar', 'gateway', 'grpc-simple', 'grpc-agent', 'waypoint', 'kube-gateway'] as const;

export const releases: readonly IstioRelease[] = [
  {
    version: '1.31.0',
    minor: '1.31',
    // The release-1.31 branch snapshot whose CRDs equal istio.io/api v1.31.0 (docs/istio-versions.md).
    hub: 'docker.io/istio',
    tag: '1.31.0',
    istioModule: 'v0.0.0-20260827124520-eed52ebb66ad',
    minKubernetes: '1.32',
    artifactChecksums: {
      'crds.yaml': 'c0ad59e008658765412badb836e73a523a355e3d792a32ad3c0711a728be5aff',
      'values/istiod.yaml': 'd6b9d64100f695973a1b87a2cedfce597669807d77fd14d00149d56538dd43a1',
      'injection/sidecar.yaml': '309fcc06fc91ac3a37e6974f194e67c1083dcfd3e64328aea2eb006e2a88749d',
      'injection/gateway.yaml': 'aeb79a0ab6cf8c926ce024ec9ab82a4f4bb7f96b4bacef14aacacd151e10d94e',
      'injection/grpc-simple.yaml': 'cc0c60252f24558ef15b6c2ba77350f3c84a52b16f0009fcee440e98ca94c2da',
      'injection/grpc-agent.yaml': '91fc2dafe45c16311bf11b2e98880ec4e05faa79485903b8c1ce386f5e8e2636',
      'injection/waypoint.yaml': 'f0f032173b4c4bec3b0dc9160d39b63ae98e04b411d68d10090ff9bbba0ec18d',
      'injection/kube-gateway.yaml': '66cbee7a084243eef7484ea418b522fa1b2da1e918157062385f7cab05f831fe',
      'injection/agentgateway.yaml': 'c5a9c442749f6d4304734e13f8d8dda82d15b6fe547a43c4c28bbc2fe3409516',
      'injection/agentgateway-waypoint.yaml':
        '0e6480784dd15a804b33b34c077026144473b94d1e04905c360c349dc4b4cb89',
      'charts/': '1e06aa62a99b805c0cc7f15634b6fcfa2658f0659c5ee1e77bb948186c24e50a',
      'profiles/': '4602260e2a9ea70ccd1830fe9f012e04b720058999e5c060dc6bd91ee1c2c47b',
    },
    injectionTemplates: [...templates130, 'agentgateway', 'agentgateway-waypoint'],
  },
  {
    version: '1.30.8',
    minor: '1.30',
    // The release-1.30 branch snapshot whose CRDs equal istio.io/api v1.30.8 (docs/istio-versions.md).
    hub: 'docker.io/istio',
    tag: '1.30.8',
    istioModule: 'v0.0.0-20260826214018-9739e10eb9d7',
    minKubernetes: '1.32',
    artifactChecksums: {
      'crds.yaml': 'dcb43ff6b9af2f629b80b6a82597f5a91db259c757e66cc5353ac007da28351a',
      'values/istiod.yaml': 'd6b9d64100f695973a1b87a2cedfce597669807d77fd14d00149d56538dd43a1',
      'injection/sidecar.yaml': 'f83eb303216663a3ffb4b95554d2afc384ad75bb38f7cd7c9aad0c558980eac5',
      'injection/gateway.yaml': '453d18fafc828a4f4a55d019456fd2672aae69b5de393e7e0df17a5d77d344b1',
      'injection/grpc-simple.yaml': 'cc0c60252f24558ef15b6c2ba77350f3c84a52b16f0009fcee440e98ca94c2da',
      'injection/grpc-agent.yaml': '79e57936d94e4194011cccc22f2adc39a8b20032ead5e7ad2cc1a0e79ef84c84',
      'injection/waypoint.yaml': 'f665720f318726913b4f680af1d525141cc574c869c83b7c105c97849edf4a33',
      'injection/kube-gateway.yaml': '86cb0b039e0679be513e66b26eaf2ec80ea868295071bfb9fd7b5b0e82c2f8d3',
      'injection/agentgateway.yaml': 'c5a9c442749f6d4304734e13f8d8dda82d15b6fe547a43c4c28bbc2fe3409516',
      'charts/': '8be2bbbbc59b2e5b4012f4c56c4584f912e1925ad7a88a3363f6f259500b47a8',
      'profiles/': '4602260e2a9ea70ccd1830fe9f012e04b720058999e5c060dc6bd91ee1c2c47b',
    },
    injectionTemplates: [...templates130, 'agentgateway'],
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
