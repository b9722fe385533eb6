// Values worked out from a release's artifacts by our own code (the validation schemas made from its API
// definitions), kept by key beside the artifacts so that a new process need not work them out again: parsing the
// definitions alone costs about 200 ms, more than the rest of a `meshop manifest generate` of a cached render.
// The caller's key must name everything the value depends on (the input files' digest and the deriving code);
// the value may share nodes and contain cycles, which flatted keeps. A directory that cannot be written (the
// read-only operator image, whose build fills it) only means memory.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse, stringify } from 'flatted';
import { writeWhole } from './write-whole.ts';

export interface DerivedCache {
  /** The value kept under `name` and `key`, else `derive()`'s, which is then kept. */
  get<T>(name: string, key: string, derive: () => T): T;
}

export function derivedCache(dir: string): DerivedCache {
  const memory = new Map<string, unknown>();
  return {
    get<T>(name: string, key: string, derive: () => T): T {
      // Asked on every render: a hit in memory costs a map lookup, no hashing.
      const known = `${name}\n${key}`;
      if (memory.has(known)) return memory.get(known) as T;
      const file = join(dir, `${name}-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
      let value: T;
      try {
        value = parse(readFileSync(file, 'utf8')) as T;
      } catch {
        value = derive();
        write(dir, file, value);
      }
      memory.set(known, value);
      return value;
    },
  };
}

function write(dir: string, file: string, value: unknown): void {
  try {
    writeWhole(dir, file, stringify(value));
  } catch {
    // Read-only artifacts: memory only, see above.
  }
}
