// The version-skew guard: Istio supports moving a mesh one minor release at a time, and a proxy never talks to
// an istiod older than its own minor. A spec that would break that is refused before anything is touched.

export interface MinorVersion {
  major: number;
  minor: number;
}

/** `1.30.8`, `1.31.0` → { 1, 30 } / { 1, 31 }; undefined for anything that is not major.minor[...]. */
export function parseMinor(version: string): MinorVersion | undefined {
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Minor releases from `from` to `to` (negative for a downgrade); majors count as 100 minors. */
function minorsBetween(from: MinorVersion, to: MinorVersion): number {
  return (to.major - from.major) * 100 + (to.minor - from.minor);
}

function oldestOf(versions: readonly string[]): { version: string; minor: MinorVersion } | undefined {
  let oldest: { version: string; minor: MinorVersion } | undefined;
  for (const version of versions) {
    const minor = parseMinor(version);
    if (minor && (!oldest || minorsBetween(oldest.minor, minor) < 0)) oldest = { version, minor };
  }
  return oldest;
}

const howToOverride = (annotation: string): string =>
  `set the annotation ${annotation}="true" on the MeshConfig to do it anyway`;

/**
 * Why moving to `target` from the versions the mesh's revisions run now is refused, or undefined when it is
 * safe. Measured from the oldest minor a revision runs: more than one minor ahead is refused, and so is going
 * below it (rolling back to it is allowed: its proxies are still there).
 */
export function versionSkewProblem(
  target: string,
  running: readonly string[],
  overrideAnnotation: string,
): string | undefined {
  const to = parseMinor(target);
  if (!to) return `version ${target} is not major.minor[.patch]; ${howToOverride(overrideAnnotation)}`;
  const oldest = oldestOf(running);
  if (!oldest) return undefined;
  const step = minorsBetween(oldest.minor, to);
  if (step > 1) {
    return (
      `${target} is ${String(step)} minor releases ahead of ${oldest.version}, which a revision still runs; ` +
      `Istio upgrades one minor at a time: move to ${String(oldest.minor.major)}.` +
      `${String(oldest.minor.minor + 1)} first, or ${howToOverride(overrideAnnotation)}`
    );
  }
  if (step < 0) {
    return (
      `${target} is older than ${oldest.version}, the oldest minor a revision runs; proxies never talk to an ` +
      `older istiod: roll back only as far as ${String(oldest.minor.major)}.${String(oldest.minor.minor)}, ` +
      `or ${howToOverride(overrideAnnotation)}`
    );
  }
  return undefined;
}
