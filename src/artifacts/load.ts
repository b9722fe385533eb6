// Loads one Istio release's artifacts from a directory and checks every file against the SHA-256 recorded next
// to it and, when the catalog pins them, against the catalog. The renderer receives the result; it never
// reads files itself.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { IstioRelease } from '../catalog/index.ts';
import { chartEngineAt } from '../charts/index.ts';
import type { ChartEngine, ChartSource } from '../charts/index.ts';
import type { KubeObject } from '../kube/index.ts';
import type { JsonObject } from '../tree/index.ts';
import {
  chartEngineFile,
  chartsDir,
  crdsFile,
  injectionFile,
  istiodValuesFile,
  manifestFile,
  profilesDir,
} from './layout.ts';
import type { ArtifactsManifest } from './layout.ts';
import { renderCache } from './render-cache.ts';
import type { RenderCache } from './render-cache.ts';

export interface IstioArtifacts {
  version: string;
  /** Istio's CRDs, parsed, in the order the release lists them. */
  crds: KubeObject[];
  /** Template name → template text, for the `config` key of `istio-sidecar-injector`. */
  injectionTemplates: Record<string, string>;
  /** istiod's chart defaults (the tree under Istio's `_internal_defaults_do_not_set`). */
  istiodValues: JsonObject;
  /** The chart at `path` under the release's charts ("istio-control/istio-discovery"); throws if it has none. */
  chart(path: string): ChartSource;
  /** Profile name → the release's profile file (an IstioOperator document). */
  profiles: Readonly<Record<string, JsonObject>>;
  /** The engine that evaluates the charts, loaded on first use and shared by every release. */
  chartEngine(): ChartEngine;
  /** Chart renders by input, kept across processes beside these artifacts (render-cache.ts). */
  renderCache: RenderCache;
}

export class ArtifactsError extends Error {
  constructor(dir: string, problem: string, cause?: unknown) {
    super(`Istio artifacts in ${dir}: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'ArtifactsError';
  }
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
  const read = (rel: string): string => readChecked(dir, rel, manifest, release);
  const injectionTemplates: Record<string, string> = {};
  for (const name of release.injectionTemplates) injectionTemplates[name] = read(injectionFile(name));
  const charts = readTree(dir, chartsDir, manifest, release);
  const profiles = readProfiles(dir, readTree(dir, profilesDir, manifest, release));
  const chartCache = new Map<string, ChartSource>();
  return {
    version: release.version,
    crds: parseCrdsCached(dir, read(crdsFile)),
    injectionTemplates,
    istiodValues: parseChartDefaults(dir, read(istiodValuesFile)),
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

/** Every file under `dir/`, each checked against the manifest, and the whole against the catalog's digest. */
function readTree(
  dir: string,
  tree: string,
  manifest: ArtifactsManifest,
  release: IstioRelease,
): Map<string, Buffer> {
  const pinned = release.artifactChecksums[`${tree}/`];
  if (pinned !== undefined && pinned !== treeDigest(manifest.files, tree)) {
    throw new ArtifactsError(
      dir,
      `${tree}/ does not match the digest the catalog pins for ${release.version}`,
    );
  }
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

function readChecked(dir: string, rel: string, manifest: ArtifactsManifest, release: IstioRelease): string {
  const bytes = readCheckedBytes(dir, rel, manifest);
  const actual = sha256(bytes);
  const pinned = release.artifactChecksums[rel];
  if (pinned !== undefined && pinned !== actual) {
    throw new ArtifactsError(
      dir,
      `${rel} does not match the checksum the catalog pins for ${release.version}`,
    );
  }
  return bytes.toString('utf8');
}

/** Istio's charts keep their defaults under one key, so that users' values can be told apart from them. */
function parseChartDefaults(dir: string, text: string): JsonObject {
  const doc = parse(text) as { _internal_defaults_do_not_set?: unknown } | null;
  const defaults = doc?._internal_defaults_do_not_set;
  if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults)) {
    throw new ArtifactsError(dir, `${istiodValuesFile} has no chart defaults`);
  }
  return defaults as JsonObject;
}

/**
 * Parsing a megabyte of CRD YAML takes most of a second, on every CLI run and operator start. The parsed form is
 * kept beside the artifacts as JSON, named by the checksum of the YAML it came from, so it can never be stale;
 * a directory we cannot write to (a read-only image) just means parsing every time.
 */
function parseCrdsCached(dir: string, text: string): KubeObject[] {
  const cache = join(dir, `.crds-${sha256(text).slice(0, 16)}.json`);
  try {
    return JSON.parse(readFileSync(cache, 'utf8')) as KubeObject[];
  } catch {
    const crds = parseCrds(dir, text);
    try {
      writeFileSync(cache, JSON.stringify(crds));
    } catch {
      // Read-only artifacts: fine, see above.
    }
    return crds;
  }
}

function parseCrds(dir: string, text: string): KubeObject[] {
  const crds: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0)
      throw new ArtifactsError(dir, `${crdsFile}: ${doc.errors[0]?.message ?? 'bad YAML'}`);
    const obj = doc.toJS() as KubeObject | null;
    if (obj?.kind === 'CustomResourceDefinition') crds.push(obj);
  }
  if (crds.length === 0) throw new ArtifactsError(dir, `${crdsFile} holds no CustomResourceDefinition`);
  return crds;
}
