// `meshop artifacts build`: makes the per-version Istio artifacts directory (CRDs, injection templates) from the
// Istio Go module through the Go module proxy.
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildArtifacts } from '../../artifacts/index.ts';
import { defaultVersion, getRelease } from '../../catalog/index.ts';
import { homeDirectory } from '../../kube/index.ts';

export function defaultArtifactsRoot(): string {
  return join(homeDirectory(), '.cache', 'meshop', 'istio-artifacts');
}

/** Go's environment: caches under ~/.cache/meshop unless the caller set them, no toolchain downloads. */
function goEnv(): NodeJS.ProcessEnv {
  const cache = join(homeDirectory(), '.cache', 'meshop');
  return {
    ...process.env,
    GOMODCACHE: process.env.GOMODCACHE ?? join(cache, 'go-mod'),
    GOFLAGS: process.env.GOFLAGS ?? '-modcacherw',
    GOTOOLCHAIN: 'local',
  };
}

export function addArtifactsCommand(program: Command): void {
  const artifacts = program
    .command('artifacts')
    .description("Istio's per-version release data (CRD schemas, injection templates)");
  artifacts
    .command('build')
    .description('make the artifacts directory of one Istio version from the istio.io/istio Go module')
    .option('--version <version>', 'Istio version from the catalog', defaultVersion)
    .option('--istio-artifacts <dir>', 'artifacts root directory', defaultArtifactsRoot())
    .action((opts: { version: string; istioArtifacts: string }) => {
      const dir = buildArtifacts(opts.istioArtifacts, getRelease(opts.version), { goEnv: goEnv() });
      process.stdout.write(`${dir}\n`);
    });
}
