// Chart renders kept by input, for the renderer: evaluating the base chart (a megabyte of CRDs through
// fromYaml/toYaml in WebAssembly) costs seconds, and every operator start and CLI run renders the same inputs
// again. Entries live in memory (bounded, oldest out first) and as JSON files beside the release's artifacts, so a
// new process finds them too; a directory that cannot be written (a read-only image) only means no disk entries.
// The key covers the chart input and the engine that rendered it, so an entry can never be stale. Hits are deep
// copies: no caller can change a cached render.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../objects/index.ts';
import { writeWhole } from './write-whole.ts';

export interface RenderCache {
  get(key: string): KubeObject[] | undefined;
  set(key: string, objects: readonly KubeObject[]): void;
}

const inMemory = 32;
const onDisk = 256;

/**
 * `identity` names what the renders depend on besides their input (the engine build, the charts); it is asked
 * once, on first use, since neither changes under a running process. `dir` holds the files (created on first
 * write).
 */
export function renderCache(dir: string, identity: () => string): RenderCache {
  const memory = new Map<string, KubeObject[]>();
  let prefix: string | undefined;
  const fileOf = (key: string): string => {
    prefix ??= identity();
    return join(dir, `${createHash('sha256').update(`${prefix}\n${key}`).digest('hex').slice(0, 32)}.json`);
  };
  const remember = (key: string, objects: KubeObject[]): void => {
    memory.set(key, objects);
    if (memory.size > inMemory) memory.delete(memory.keys().next().value ?? '');
  };
  return {
    get(key) {
      let objects = memory.get(key);
      if (objects === undefined) {
        try {
          objects = JSON.parse(readFileSync(fileOf(key), 'utf8')) as KubeObject[];
          remember(key, objects);
        } catch {
          return undefined;
        }
      }
      return structuredClone(objects);
    },
    set(key, objects) {
      const copy = structuredClone(objects) as KubeObject[];
      remember(key, copy);
      try {
        writeWhole(dir, fileOf(key), JSON.stringify(copy));
        trim(dir);
      } catch {
        // Read-only artifacts: memory only, see above.
      }
    },
  };
}

/** Keeps the newest `onDisk` entries. */
function trim(dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length <= onDisk) return;
  const byAge = files.map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs })).sort((a, b) => a.at - b.at);
  for (const { f } of byAge.slice(0, files.length - onDisk)) unlinkSync(join(dir, f));
}
