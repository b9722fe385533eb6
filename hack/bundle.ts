// `npm run build` / `make build`: the JavaScript meshop ships (ADR 0022). esbuild bundles the CLI (bin/meshop.js)
// and the operator (src/main.ts) with their dependencies into dist/js/, split at every dynamic import, so a
// command still loads only its own code (ADR 0019) but as a few files instead of hundreds of modules, with no
// type stripping at run time. Development keeps running the sources (`node src/main.ts`, bin/meshop.js).
//
// dist/js is two levels below the repository on purpose: the few files the code finds next to itself
// (`../../package.json`, `../../hack/build-engine.sh`) are at the same relative place from src/<dir>/ and from
// dist/js/. The one that is not (the schema code whose digest keys the cache of release schemas) is digested here
// and the digest compiled in.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { schemaCodeFiles } from '../src/render/schema-code.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles into `outdir` (default dist/js); returns the entry files written. */
export async function bundle(outdir = join(root, 'dist', 'js')): Promise<{ cli: string; operator: string }> {
  const digest = createHash('sha256');
  for (const file of schemaCodeFiles) digest.update(readFileSync(file));
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    // The chart engine's thread is started from its own file (src/charts/engine-thread.ts names it).
    entryPoints: {
      meshop: 'bin/meshop.js',
      main: 'src/main.ts',
      'chart-engine-worker': 'src/charts/engine-worker.ts',
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // ES module builds of dependencies where they ship one (yaml, commander): no CommonJS wrappers to run.
    mainFields: ['module', 'main'],
    // CommonJS dependencies that require Node's modules need a `require` in an ES module.
    banner: {
      js: "import { createRequire as meshopRequire } from 'node:module'; const require = meshopRequire(import.meta.url);",
    },
    define: { MESHOP_SCHEMA_CODE_DIGEST: JSON.stringify(digest.digest('hex')) },
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });
  return { cli: join(outdir, 'meshop.js'), operator: join(outdir, 'main.js') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { cli, operator } = await bundle(process.argv[2]);
  process.stdout.write(`wrote ${cli} and ${operator}\n`);
}
