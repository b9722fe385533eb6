// Finds the protobuf files behind a release's API: the entry files of layout.ts and everything they import, in
// the istio.io/api, istio.io/istio and Kubernetes modules the release was built with. The imports are followed
// by protobufjs's own loader, so what is copied is exactly what loading needs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { IstioRelease } from '../catalog/index.ts';
import { apiEntryFiles } from './layout.ts';
import { ArtifactsError } from './artifacts-error.ts';

/** A module as `go mod download` left it. */
export interface DownloadedModule {
  dir: string;
  sum: string | undefined;
  goMod: string | undefined;
}

export interface ApiSources {
  /** Import path ("mesh/v1alpha1/config.proto") → file on disk. */
  files: Map<string, string>;
  /** Module path → version the files came from. */
  modules: Record<string, string>;
}

type Fetch = (path: string, version: string) => DownloadedModule;

/** The version of `path` that the istio module's go.mod requires. */
function required(mod: DownloadedModule, path: string): string | undefined {
  if (mod.goMod === undefined) return undefined;
  const escaped = path.replaceAll('.', '\\.');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(
    readFileSync(mod.goMod, 'utf8'),
  );
  return match?.[1];
}

export function apiSources(istio: DownloadedModule, release: IstioRelease, fetch: Fetch): ApiSources {
  const modules: Record<string, string> = {};
  const dirOf = (path: string, version: string | undefined): string => {
    if (version === undefined) {
      throw new ArtifactsError(release.version, `the istio module's go.mod names no version of ${path}`);
    }
    modules[path] = version;
    return fetch(path, version).dir;
  };
  // release-1.30's go.mod names an istio.io/api commit the proxy refuses; the catalog names the tag instead.
  const istioApi = dirOf('istio.io/api', release.istioApiModule ?? required(istio, 'istio.io/api'));
  const kubeApi = dirOf('k8s.io/api', required(istio, 'k8s.io/api'));
  const machinery = dirOf('k8s.io/apimachinery', required(istio, 'k8s.io/apimachinery'));
  // Import path prefix → directory it is found under, tried in order.
  const roots: [string, string][] = [
    ['k8s.io/api/', kubeApi],
    ['k8s.io/apimachinery/', machinery],
    ['pkg/apis/', join(istio.dir, 'operator/pkg/apis')],
    ['', istioApi],
    ['', join(istioApi, 'common-protos')],
  ];
  const files = new Map<string, string>();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    for (const [prefix, dir] of roots) {
      if (!target.startsWith(prefix)) continue;
      const file = join(dir, target.slice(prefix.length));
      if (existsSync(file)) {
        files.set(target, file);
        return file;
      }
    }
    // protobufjs carries google/protobuf's well-known types itself.
    return target;
  };
  try {
    root.loadSync([...apiEntryFiles], { keepCase: true });
    root.resolveAll();
  } catch (err) {
    throw new ArtifactsError(release.version, `API definitions: ${(err as Error).message}`, err);
  }
  return { files, modules };
}
