// Finds (building on first use) the cached control-plane binaries via build.sh, which owns the cache key, the
// build lock and the atomic move into place.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function ensureBinaries(): string {
  const out = execFileSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'inherit'] });
  return out.toString('utf8').trim().split('\n').pop() ?? '';
}

export function pinnedVersions(): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const line of readFileSync(join(here, 'versions.env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(\S+)/.exec(line);
    if (m?.[1] && m[2]) pins[m[1]] = m[2];
  }
  return pins;
}
