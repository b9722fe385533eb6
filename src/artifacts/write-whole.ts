// Writing a cache file beside the artifacts so that a reader in another process sees the whole file or none:
// written under a name of this process's, then renamed over the target.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';

/** Writes `text` to `file` in `dir` (created when missing); throws when the directory cannot be written. */
export function writeWhole(dir: string, file: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
