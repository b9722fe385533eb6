// `meshop artifacts build`: makes an artifacts directory for one release from the `istio.io/istio` Go module,
// fetched through the Go module proxy with the machine's `go` command. Nothing else is downloaded.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  readdirSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  mkdtempSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { IstioRelease } from '../catalog/index.ts';
import { ArtifactsError, sha256 } from './load.ts';
import { apiSources } from './api-sources.ts';
import type { DownloadedModule } from './api-sources.ts';
import {
  apiDir,
  chartEngineFile,
  chartsDir,
  chartsSource,
  manifestFile,
  profilesDir,
  profilesSource,
} from './layout.ts';
import type { ArtifactsManifest } from './layout.ts';

export interface BuildOptions {
  /** Environment for `go` (GOMODCACHE, GOFLAGS, GOPROXY...), passed in by the CLI. */
  goEnv: NodeJS.ProcessEnv;
}

interface ModuleDownload {
  Dir?: string;
  Sum?: string;
  GoMod?: string;
  Error?: string;
}

export function buildArtifacts(root: string, release: IstioRelease, opts: BuildOptions): string {
  const target = join(root, release.version);
  if (!release.istioModule) {
    throw new ArtifactsError(
      target,
      `Istio ${release.version} has no Go module version in the catalog; supply its artifacts directory`,
    );
  }
  const fetch = (path: string, version: string): DownloadedModule =>
    download(path, version, opts.goEnv, target);
  const mod = fetch('istio.io/istio', release.istioModule);
  const api = apiSources(mod, release, fetch);
  mkdirSync(root, { recursive: true });
  installChartEngine(root, opts);
  const staging = mkdtempSync(join(root, `.${release.version}-`));
  try {
    chmodSync(staging, 0o755);
    const files: Record<string, string> = {};
    Object.assign(files, copyTree(mod.dir, chartsSource, join(staging, chartsDir)));
    Object.assign(files, copyTree(mod.dir, profilesSource, join(staging, profilesDir)));
    for (const [importPath, file] of api.files) {
      const rel = `${apiDir}/${importPath}`;
      files[rel] = copy(dirname(file), basename(file), join(staging, rel));
    }
    const manifest: ArtifactsManifest = {
      version: release.version,
      source: {
        module: 'istio.io/istio',
        moduleVersion: release.istioModule,
        ...(mod.sum ? { moduleSum: mod.sum } : {}),
        apiModules: api.modules,
      },
      files,
    };
    writeFileSync(join(staging, manifestFile), `${JSON.stringify(manifest, null, 2)}\n`);
    // Swapped in by two renames, not delete-then-rename, so a reader (a running test, the operator) finds the old
    // directory or the new one, missing only in the instant between the renames.
    const old = `${staging}.old`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

function download(path: string, version: string, env: NodeJS.ProcessEnv, target: string): DownloadedModule {
  let out: string;
  // Outside any module, so no go.mod of ours is consulted or changed.
  const cwd = mkdtempSync(join(tmpdir(), 'meshop-gomod-'));
  try {
    out = execFileSync('go', ['mod', 'download', '-json', `${path}@${version}`], {
      env,
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? '';
    const parsed = stdout ? (JSON.parse(stdout) as ModuleDownload) : {};
    throw new ArtifactsError(
      target,
      `go mod download ${path}@${version} failed: ${parsed.Error ?? (err as Error).message}`,
      err,
    );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  const info = JSON.parse(out) as ModuleDownload;
  if (!info.Dir) throw new ArtifactsError(target, `go mod download ${path}@${version} gave no directory`);
  return { dir: info.Dir, sum: info.Sum, goMod: info.GoMod };
}

function copy(moduleDir: string, source: string, dest: string): string {
  const bytes = readFileSync(join(moduleDir, source));
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, bytes);
  return sha256(bytes);
}

/**
 * Copies every file under `source` (a directory of the module) into `dest`; returns each file's checksum by its
 * path relative to the artifacts directory (`charts/base/Chart.yaml`).
 */
function copyTree(moduleDir: string, source: string, dest: string): Record<string, string> {
  const files: Record<string, string> = {};
  const entries = readdirSync(join(moduleDir, source), { recursive: true, withFileTypes: true });
  for (const e of entries) {
    if (!e.isFile()) continue;
    const rel = relative(join(moduleDir, source), join(e.parentPath, e.name)).split(sep).join('/');
    files[`${basename(dest)}/${rel}`] = copy(moduleDir, `${source}/${rel}`, join(dest, rel));
  }
  return files;
}

/**
 * Puts the chart engine (engine/, compiled to WebAssembly by hack/build-engine.sh, which caches it per source
 * hash) at the artifacts root, where loading finds it. It is meshop's own code, the same for every release.
 */
export function installChartEngine(root: string, opts: BuildOptions): string {
  const script = fileURLToPath(new URL('../../hack/build-engine.sh', import.meta.url));
  let built: string;
  try {
    built = execFileSync('bash', [script], {
      env: opts.goEnv,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (err) {
    const output = (err as { stderr?: unknown }).stderr;
    const stderr = typeof output === 'string' ? output.trim() : '';
    throw new ArtifactsError(
      root,
      `building the chart engine failed: ${stderr || (err as Error).message}`,
      err,
    );
  }
  const target = join(root, chartEngineFile);
  const bytes = readFileSync(built);
  // An unchanged engine is left alone: its modification time is part of the render cache's key
  // (load.ts), and rewriting it would throw every cached render away.
  if (existsSync(target) && readFileSync(target).equals(bytes)) return target;
  const staging = `${target}.${String(process.pid)}.tmp`;
  writeFileSync(staging, bytes);
  renameSync(staging, target);
  return target;
}
