// An IstioOperator pins images with `spec.tag`; a MeshConfig says which release it runs with `spec.version`.
// When the tag is exactly a catalogued release's, the version is that release, and saying so lets meshop pick
// the release's artifacts instead of its default.
import type { JsonObject } from '../tree/index.ts';

/** The part of a catalogued release the inference needs. */
export interface CataloguedTag {
  readonly version: string;
  readonly tag: string;
}

export interface VersionInference {
  readonly spec: JsonObject;
  readonly note?: string;
}

/** `spec` with `version` set (first, so it is seen) when it has none and its tag names a release. */
export function inferVersion(spec: JsonObject, releases: readonly CataloguedTag[]): VersionInference {
  const tag = spec.tag;
  if (spec.version !== undefined || (typeof tag !== 'string' && typeof tag !== 'number')) return { spec };
  const text = String(tag);
  const release = releases.find((r) => r.tag === text || r.version === text);
  if (release === undefined) return { spec };
  return {
    spec: { version: release.version, ...spec },
    note: `spec.version set to "${release.version}": spec.tag "${text}" is that release's`,
  };
}
