// Loads one Istio release's artifacts from a directory and checks every file against the SHA-256 recorded next
// to it and, when the catalog pins them, against the catalog. The renderer receives the result; it never
// reads files itself.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import type { IstioRelease } from '../catalog/index.ts';
import type { KubeObject } from '../kube/index.ts';
import type { JsonObject } from '../tree/index.ts';
import { crdsFile, injectionFile, istiodValuesFile, manifestFile } from './layout.ts';
import type { ArtifactsManifest } from './layout.ts';

export interface IstioArtifacts {
  version: string;
  /** Istio's CRDs, parsed, in the order the release lists them. */
  crds: KubeObject[];
  /** Template name → template text, for the `config` key of `istio-sidecar-injector`. */
  injectionTemplates: Record<string, string>;
  /** istiod's chart defaults (the tree under Istio's `_internal_defaults_do_not_set`). */
  istiodValues: JsonObject;
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
  const manifest = readManifest(dir);
  if (manifest.version !== release.version) {
    throw new ArtifactsError(dir, `built for version ${manifest.version}, not ${release.version}`);
  }
  const read = (rel: string): string => readChecked(dir, rel, manifest, release);
  const injectionTemplates: Record<string, string> = {};
  for (const name of release.injectionTemplates) injectionTemplates[name] = read(injectionFile(name));
  return {
    version: release.version,
    crds: parseCrdsCached(dir, read(crdsFile)),
    injectionTemplates,
    istiodValues: parseChartDefaults(dir, read(istiodValuesFile)),
  };
}

function readManifest(dir: string): ArtifactsManifest {
  try {
    return JSON.parse(readFileSync(join(dir, manifestFile), 'utf8')) as ArtifactsManifest;
  } catch (err) {
    const hint = 'run `meshop artifacts build --version <version>` or pass --istio-artifacts';
    throw new ArtifactsError(dir, `no readable ${manifestFile} (${hint})`, err);
  }
}

function readChecked(dir: string, rel: string, manifest: ArtifactsManifest, release: IstioRelease): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dir, rel));
  } catch (err) {
    throw new ArtifactsError(dir, `missing ${rel}`, err);
  }
  const actual = sha256(bytes);
  const recorded = manifest.files[rel];
  if (recorded !== actual)
    throw new ArtifactsError(dir, `${rel} does not match the checksum in ${manifestFile}`);
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
