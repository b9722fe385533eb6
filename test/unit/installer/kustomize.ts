// `kustomize build` without installing kustomize: kubectl carries it (`kubectl kustomize`), and the local control
// plane's pinned kubectl is cached once the cluster has been built. Offline: it only reads the files.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/index.ts';

/** A kubectl to run: $KUBECTL, the cached pinned one (test/cluster/build.sh), or one on PATH. */
export function findKubectl(): string | undefined {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const cache = join(process.env.MESHOP_CACHE_DIR ?? join(homedir(), '.cache', 'meshop'), 'k8s-bin');
  const cached = existsSync(cache)
    ? readdirSync(cache)
        .map((key) => join(cache, key, 'kubectl'))
        .find((bin) => existsSync(bin))
    : undefined;
  if (cached) return cached;
  const onPath = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
  return onPath || undefined;
}

/** The objects `kubectl kustomize dir` builds. */
export function kustomizeBuild(kubectl: string, dir: string): KubeObject[] {
  const out = execFileSync(kubectl, ['kustomize', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(out).map((d) => d.toJS() as KubeObject);
}

export function objectKey(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}
