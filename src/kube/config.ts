// Finding and loading the cluster configuration: a kubeconfig file or, inside a pod, the in-cluster
// configuration; one clear error names the file (or the missing in-cluster piece) when it is unusable.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ClusterAccess } from './cluster-access.ts';
import { KubeConfigError } from './errors.ts';
import { inClusterPossible, loadInClusterConfig } from './in-cluster.ts';
import type { InClusterSource } from './in-cluster.ts';
import { parseKubeconfig, resolveKubeconfig } from './kubeconfig-file.ts';
import { homeDirectory } from './home-directory.ts';

/** A loaded, checked kubeconfig: the current context names a cluster with a server URL. */
export interface LoadedKubeConfig {
  /** For messages: the kubeconfig file, or `in-cluster (<service account dir>)`. */
  readonly file: string;
  /** Puts the cluster's TLS settings and the user's credentials on each request. */
  readonly access: ClusterAccess;
  readonly server: string;
  readonly context: string;
  /** The context's namespace (the pod's own in a pod), when it names one. */
  readonly namespace: string | undefined;
}

export interface KubeConfigSource {
  /** An explicit file (`--kubeconfig`); wins over the environment. */
  file?: string | undefined;
  /** The value of KUBECONFIG, passed in by main (modules never read process.env themselves). */
  envKubeconfig?: string | undefined;
  /** Use this context instead of the file's current-context (`--context`). */
  context?: string | undefined;
  /** The pod environment, passed in by main; the in-cluster configuration is not considered without it. */
  inCluster?: InClusterSource | undefined;
  /** The home directory whose .kube/config is the last resort (default: the user's); tests use a temp dir. */
  homeDir?: string | undefined;
}

/** The kubeconfig named by --kubeconfig, else the first entry of KUBECONFIG, as kubectl reads them. */
function explicitKubeconfig(source: KubeConfigSource): string | undefined {
  if (source.file) return source.file;
  return source.envKubeconfig?.split(delimiter).find((p) => p.length > 0);
}

const homeKubeconfig = (source: KubeConfigSource): string =>
  join(source.homeDir ?? homeDirectory(), '.kube', 'config');

/** Which file kubectl would use: --kubeconfig, else the first entry of KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(source: KubeConfigSource): string {
  return explicitKubeconfig(source) ?? homeKubeconfig(source);
}

/**
 * Loads the configuration in controller-runtime's `config.GetConfig` order: --kubeconfig, KUBECONFIG, the
 * in-cluster configuration, ~/.kube/config. In-cluster comes before the home file (kubectl's order puts it
 * last) because an operator in a pod must use its own service account even if the image happens to carry a
 * ~/.kube/config. As in controller-runtime, an unusable in-cluster configuration falls back to the home file;
 * when there is none, the in-cluster error is the one that explains the failure. A --context names a
 * kubeconfig context, so it skips the in-cluster configuration rather than being silently ignored.
 */
export function loadKubeConfig(source: KubeConfigSource = {}): LoadedKubeConfig {
  const explicit = explicitKubeconfig(source);
  if (explicit !== undefined) return loadKubeConfigFile(explicit, source.context);
  const home = homeKubeconfig(source);
  if (Boolean(source.context) || !inClusterPossible(source.inCluster)) {
    return loadKubeConfigFile(home, source.context);
  }
  try {
    return loadInClusterConfig(source.inCluster);
  } catch (err) {
    if (!(err instanceof KubeConfigError) || !existsSync(home)) throw err;
    return loadKubeConfigFile(home, undefined);
  }
}

function loadKubeConfigFile(file: string, contextName: string | undefined): LoadedKubeConfig {
  const text = readText(file);
  let doc: ReturnType<typeof parseKubeconfig>;
  try {
    doc = parseKubeconfig(text);
  } catch (err) {
    throw new KubeConfigError(file, `not a valid kubeconfig: ${firstLine(err)}`, err);
  }
  try {
    const { access, server, context, namespace } = resolveKubeconfig(
      file,
      text,
      doc,
      contextName === '' ? undefined : contextName,
    );
    return { file, access, server, context, namespace };
  } catch (err) {
    throw new KubeConfigError(file, firstLine(err), err);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new KubeConfigError(file, 'file not found', err);
    if (code === 'EACCES') throw new KubeConfigError(file, 'permission denied', err);
    if (code === 'EISDIR') throw new KubeConfigError(file, 'is a directory, not a file', err);
    throw new KubeConfigError(file, `cannot be read: ${firstLine(err)}`, err);
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
