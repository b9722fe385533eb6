// Reads a chart directory into the form the engine takes: every regular file with its chart-relative path and
// bytes. The engine itself decides what is metadata, values, template or .Files content, as Helm's loader does.
import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';

export interface ChartFile {
  /** Slash-separated path relative to the chart directory, e.g. "templates/deployment.yaml". */
  readonly name: string;
  readonly data: Uint8Array;
}

/** A chart as a set of files; it can come from a directory, an archive or artifacts kept in memory. */
export interface ChartSource {
  readonly files: readonly ChartFile[];
}

/** Reads every file under `dir`, sorted by name so requests (and anything hashed from them) are stable. */
export async function readChartDir(dir: string): Promise<ChartSource> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        return { name: relative(dir, path).split(sep).join(posix.sep), data: await readFile(path) };
      }),
  );
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files };
}
