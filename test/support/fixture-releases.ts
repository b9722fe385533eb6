// More Istio versions than this machine can build, for upgrade tests. The module proxy here serves one Istio
// release (1.31.0, see README), so older minors are that release's data under other version names: the
// render differs only in the version labels and the image tags, which is exactly what the upgrade machinery
// reads (revision names, the skew guard, istiod's rollout). Test fixture only; the operator never sees these.
import type { IstioRelease } from '../../src/catalog/index.ts';
import { artifactsDirectory } from '../../src/reconcile/index.ts';
import type { LoadedRelease, ReleaseSource } from '../../src/reconcile/index.ts';
import { artifactsRoot, testVersion } from './render-fixtures.ts';

export const fixtureVersions = ['1.28.0', '1.29.0', '1.30.0'] as const;

export function fixtureReleases(): ReleaseSource {
  const real = artifactsDirectory(artifactsRoot);
  const relabelled = (version: string): LoadedRelease => {
    const base = real.load(testVersion);
    const minor = version.split('.').slice(0, 2).join('.');
    const release: IstioRelease = { ...base.release, version, minor, hub: 'docker.io/istio', tag: version };
    return { release, artifacts: { ...base.artifacts, version } };
  };
  const loaded = new Map<string, LoadedRelease>(fixtureVersions.map((v) => [v, relabelled(v)]));
  return {
    versions: [...real.versions, ...fixtureVersions],
    load(version) {
      return (version === undefined ? undefined : loaded.get(version)) ?? real.load(version);
    },
  };
}
