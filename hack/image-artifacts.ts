// The Dockerfile's build step: bakes Istio's release data into the image for every catalogued version whose
// Go module is known, then loads each back, which checks every file against the SHA-256 the catalog pins.
// Usage: node hack/image-artifacts.ts <root>
import { buildArtifacts, loadArtifacts } from '../src/artifacts/index.ts';
import { releases } from '../src/catalog/index.ts';
import { releaseSchemas } from '../src/render/release-schemas.ts';

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node hack/image-artifacts.ts <artifacts root>\n');
  process.exit(2);
}
// No toolchain download; a module cache the build can delete.
const goEnv = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-modcacherw' };

for (const release of releases) {
  if (!release.istioModule) {
    process.stdout.write(`skipped ${release.version}: no Go module in the catalog, mount its artifacts\n`);
    continue;
  }
  if (Object.keys(release.artifactChecksums).length === 0) {
    throw new Error(
      `Istio ${release.version}: the catalog pins no checksums, refusing to bake unchecked files`,
    );
  }
  const dir = buildArtifacts(root, release, { goEnv });
  // Loading checks every file against the catalog; starting the engine proves the image can render. The
  // validation schemas made from the release's API definitions are kept beside the artifacts now, since the
  // image's read-only filesystem would make every operator start parse the definitions again.
  const artifacts = loadArtifacts(root, release);
  artifacts.chartEngine();
  releaseSchemas(artifacts);
  process.stdout.write(`baked ${release.version} into ${dir}\n`);
}
