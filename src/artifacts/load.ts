// Loads one Istio release's artifacts from a directory and checks every file against the SHA-256 recorded next
// to it and, when the catalog pins them, against the catalog. The renderer receives the result; it never
// reads files itself.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type protobuf from 'protobufjs';
import { parse } from 'yaml';
import type { IstioRelease } from '../catalog/index.ts';
import { chartEngineAt } from '../charts/index.ts';
import type { ChartEngine, ChartSource } from '../charts/index.ts';
import type { JsonObject } from '../tree/index.ts';
import { apiDefinitionsFrom } from './api-definitions.ts';
import { ArtifactsError } from './artifacts-error.ts';
import { apiDir, chartEngineFile, chartsDir, manifestFile, profilesDir } from './layout.ts';
import type { ArtifactsManifest } from './layout.ts';
import { derivedCache } from './derived-cache.ts';
import type { DerivedCache } from './derived-cache.ts';
import { renderCache } from './render-cache.ts';
import type { RenderCache } from './render-cache.ts';

export { ArtifactsError } from './artifacts-error.ts';

export interface IstioArtifacts {
  version: string;
  /** The chart at `path` under the release's charts ("istio-control/istio-discovery"); throws if it has none. */
  chart(path: string): ChartSource;
  /** Profile name → the release's profile file (an IstioOperator document). */
  profiles: Readonly<Record<string, JsonObject>>;
  /** The engine that evaluates the charts, loaded on first use and shared by every release. */
  chartEngine(): ChartEngine;
  /** Chart renders by input, kept across processes beside these artifacts (render-cache.ts). */
  renderCache: RenderCache;
  /**
   * The release's API definitions (layout.ts `apiEntryFiles` and their imports), parsed on first use: what
   * `meshConfig`, `values` and `k8s` settings are validated against.
   */
  apiDefinitions(): protobuf.Root;
  /**
   * SHA-256 over the API definitions' checksums (treeDigest), checked against the catalog as a read of them
   * would be: the key of values derived from them, so a cached value stands for definitions that were checked.
   */
  apiDigest(): string;
  /** Values our code derives from these artifacts, kept beside them across processes (derived-cache.ts). */
  derived: DerivedCache;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function loadArtifacts(root: string, release: IstioRelease): IstioArtifacts {
  const dir = join(root, release.version);
  const manifest = readManifest(dir, release.version);
  if (manifest.version !== release.version) {
    throw new ArtifactsError(dir, `built for version ${manifest.version}, not ${release.version}`);
  }
  const charts = readTree(dir, chartsDir, manifest, release);
  const profiles = readProfiles(dir, readTree(dir, profilesDir, manifest, release));
  const chartCache = new Map<string, ChartSource>();
  let api: protobuf.Root | undefined;
  let apiDigest: string | undefined;
  return {
    version: release.version,
    chart(path) {
      let chart = chartCache.get(path);
      if (chart === undefined) {
        const prefix = `${path}/`;
        const files = [...charts]
          .filter(([name]) => name.startsWith(prefix))
          .map(([name, data]) => ({ name: name.slice(prefix.length), data }));
        if (files.length === 0) throw new ArtifactsError(dir, `no chart ${chartsDir}/${path}`);
        chart = { files };
        chartCache.set(path, chart);
      }
      return chart;
    },
    profiles,
    chartEngine: () => loadEngine(root, release),
    // Beside the release directory, not in it, so a rebuild of the same release keeps the entries; the charts'
    // digest in the key keeps a rebuild with other charts from reading them.
    renderCache: renderCache(
      join(root, '.renders', release.version),
      () => `${engineIdentity(root)} ${treeDigest(manifest.files, chartsDir)}`,
    ),
    apiDefinitions() {
      api ??= apiDefinitionsFrom(dir, readTree(dir, apiDir, manifest, release));
      return api;
    },
    // Asked on every render: worked out once.
    apiDigest: () => (apiDigest ??= checkedTreeDigest(dir, apiDir, manifest, release)),
    // Beside the release directory, as the renders are.
    derived: derivedCache(join(root, '.derived', release.version)),
  };
}

/** Where the chart engine is: MESHOP_CHART_ENGINE_WASM, else beside the releases in the artifacts root. */
export function chartEnginePath(root: string): string {
  return process.env.MESHOP_CHART_ENGINE_WASM ?? join(root, chartEngineFile);
}

/** The engine build, cheaply: its path, size and modification time. */
function engineIdentity(root: string): string {
  const path = chartEnginePath(root);
  try {
    const s = statSync(path);
    return `${path} ${String(s.size)} ${String(s.mtimeMs)}`;
  } catch {
    return path;
  }
}

function loadEngine(root: string, release: IstioRelease): ChartEngine {
  const path = chartEnginePath(root);
  try {
    return chartEngineAt(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `no chart engine at ${path} (run \`meshop artifacts build --version ${release.version}\`)`
        : `cannot load the chart engine ${path}: ${(err as Error).message}`;
    throw new ArtifactsError(root, problem, err);
  }
}

/**
 * SHA-256 over the checksums of every file under `dir/` in a manifest (sorted "path sha" lines): what the catalog
 * pins for a directory of many files, such as the charts.
 */
export function treeDigest(files: Readonly<Record<string, string>>, dir: string): string {
  const lines = Object.keys(files)
    .filter((name) => name.startsWith(`${dir}/`))
    .sort()
    .map((name) => `${name} ${files[name] ?? ''}\n`);
  return sha256(lines.join(''));
}

/** treeDigest of `tree/`, which must be the catalog's when it pins one. */
function checkedTreeDigest(
  dir: string,
  tree: string,
  manifest: ArtifactsManifest,
  release: IstioRelease,
): string {
  const digest = treeDigest(manifest.files, tree);
  const pinned = release.artifactChecksums[`${tree}/`];
  if (pinned !== undefined && pinned !== digest) {
    throw new ArtifactsError(
      dir,
      `${tree}/ does not match the digest the catalog pins for ${release.version}`,
    );
  }
  return digest;
}

/** Every file under `dir/`, each checked against the manifest, and the whole against the catalog's digest. */
function readTree(
  dir: string,
  tree: string,
  manifest: ArtifactsManifest,
  release: IstioRelease,
): Map<string, Buffer> {
  checkedTreeDigest(dir, tree, manifest, release);
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(manifest.files).sort()) {
    if (!name.startsWith(`${tree}/`)) continue;
    out.set(name.slice(tree.length + 1), readCheckedBytes(dir, name, manifest));
  }
  if (out.size === 0) {
    throw new ArtifactsError(dir, `no ${tree}/ (built by an older meshop? run \`meshop artifacts build\`)`);
  }
  return out;
}

function readProfiles(dir: string, files: Map<string, Buffer>): Record<string, JsonObject> {
  const profiles: Record<string, JsonObject> = {};
  for (const [name, data] of files) {
    if (!name.endsWith('.yaml')) continue;
    const doc = parse(data.toString('utf8')) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ArtifactsError(dir, `${profilesDir}/${name} is not a YAML mapping`);
    }
    profiles[name.slice(0, -'.yaml'.length)] = doc as JsonObject;
  }
  return profiles;
}

function readManifest(dir: string, version: string): ArtifactsManifest {
  try {
    return JSON.parse(readFileSync(join(dir, manifestFile), 'utf8')) as ArtifactsManifest;
  } catch (err) {
    const root = dirname(dir);
    const hint = `run \`meshop artifacts build --version ${version} --istio-artifacts ${root}\` or pass --istio-artifacts`;
    throw new ArtifactsError(dir, `no readable ${manifestFile} (${hint})`, err);
  }
}

function readCheckedBytes(dir: string, rel: string, manifest: ArtifactsManifest): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, rel));
  } catch (err) {
    throw new ArtifactsError(dir, `missing ${rel}`, err);
  }
  if (manifest.files[rel] !== sha256(bytes))
    throw new ArtifactsError(dir, `${rel} does not match the checksum in ${manifestFile}`);
  return bytes;
}
