// The real Istio binaries hack/istio.sh built, per catalogued release: where they are, and the pod-runner
// programs that make each release's istiod image run its own pilot-discovery.
import { join } from 'node:path';
import { getRelease } from '../../src/catalog/index.ts';
import { pilotProgram } from '../cluster/pods/programs.ts';
import type { ProgramTable } from '../cluster/pods/programs.ts';

export const istioBinsEnv = 'MESHOP_ISTIO_BINS';

/** Istio version → directory with istioctl and pilot-discovery (empty when hack/istio.sh did not run). */
export function istioBinaries(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const raw = env[istioBinsEnv];
  return raw ? (JSON.parse(raw) as Record<string, string>) : {};
}

/** The image istiod of a release runs, as meshop renders it by default. */
export const pilotImage = (version: string): string => {
  const r = getRelease(version);
  return `${r.hub}/pilot:${r.tag}`;
};

export function istiodPrograms(env: NodeJS.ProcessEnv = process.env): ProgramTable {
  const table: ProgramTable = {};
  for (const [version, dir] of Object.entries(istioBinaries(env))) {
    table[pilotImage(version)] = pilotProgram(join(dir, 'pilot-discovery'));
  }
  return table;
}
