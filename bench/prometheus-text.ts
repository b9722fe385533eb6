// Reads the operator's /metrics (Prometheus text format) for the benchmarks: the samples of a family, and
// quantiles estimated from a histogram's buckets as PromQL's histogram_quantile does (linear within a bucket).
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/;
const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const l of text.split('\n')) {
    const m = line.exec(l);
    if (!m?.[1] || m[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(label)) if (k !== undefined) labels[k] = v ?? '';
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of a family's samples whose labels include `where`. */
export function total(samples: readonly Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Cumulative bucket counts of a histogram (summed over series matching `where`), by upper bound. */
export function buckets(
  samples: readonly Sample[],
  histogram: string,
  where: Record<string, string> = {},
): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of samples) {
    if (s.name !== `${histogram}_bucket`) continue;
    if (!Object.entries(where).every(([k, v]) => s.labels[k] === v)) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    out.set(le, (out.get(le) ?? 0) + s.value);
  }
  return out;
}

/** The q-quantile of what a histogram observed between two scrapes (`before` may be empty); NaN if nothing. */
export function quantileBetween(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const rank = q * (counts.at(-1) ?? 0);
  const i = counts.findIndex((c) => c > 0 && c >= rank);
  if (i < 0) return NaN;
  const lower = i === 0 ? 0 : (bounds[i - 1] ?? 0);
  const upper = bounds[i] ?? Infinity;
  // Past the last finite bound nothing is known but that bound.
  if (upper === Infinity) return lower;
  const below = i === 0 ? 0 : (counts[i - 1] ?? 0);
  return lower + ((upper - lower) * (rank - below)) / Math.max((counts[i] ?? 0) - below, 1);
}
