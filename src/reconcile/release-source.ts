// The Istio releases the operator can render, with their artifacts loaded once per version (they are large and
// never change under a running operator).
import { loadArtifacts } from '../artifacts/index.ts';
import type { IstioArtifacts } from '../artifacts/index.ts';
import { defaultVersion, getRelease, knownVersions } from '../catalog/index.ts';
import type { IstioRelease } from '../catalog/index.ts';

export interface LoadedRelease {
  release: IstioRelease;
  artifacts: IstioArtifacts;
}

export interface ReleaseSource {
  /** Every version this source can load: what `spec.version` may name. */
  versions: readonly string[];
  /** The release for `spec.version` (the catalog's newest when unset). Throws for an unknown version. */
  load(version: string | undefined): LoadedRelease;
}

export function artifactsDirectory(root: string): ReleaseSource {
  const loaded = new Map<string, LoadedRelease>();
  return {
    versions: knownVersions,
    load(version) {
      const release = getRelease(version ?? defaultVersion);
      let entry = loaded.get(release.version);
      if (!entry) {
        entry = { release, artifacts: loadArtifacts(root, release) };
        loaded.set(release.version, entry);
      }
      return entry;
    },
  };
}
