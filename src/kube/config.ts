// Loading a kubeconfig, with one clear error that names the file when it is missing or unusable.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from './errors.ts';

/** A loaded, checked kubeconfig: the current context names a cluster with a server URL. */
export interface LoadedKubeConfig {
  readonly file: string;
  readonly config: KubeConfig;
  readonly server: string;
  readonly context: string;
}

export interface KubeConfigSource {
  /** An explicit file (`--kubeconfig`); wins over the environment. */
  file?: string | undefined;
  /** The value of KUBECONFIG, passed in by main (modules never read process.env themselves). */
  envKubeconfig?: string | undefined;
  /** Use this context instead of the file's current-context (`--context`). */
  context?: string | undefined;
}

/** Which file kubectl would use: --kubeconfig, else the first entry of KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(source: KubeConfigSource): string {
  if (source.file) return source.file;
  const fromEnv = source.envKubeconfig?.split(delimiter).find((p) => p.length > 0);
  return fromEnv ?? join(homedir(), '.kube', 'config');
}

export function loadKubeConfig(source: KubeConfigSource = {}): LoadedKubeConfig {
  const file = kubeconfigPath(source);
  const text = readText(file);
  const config = new KubeConfig();
  try {
    config.loadFromString(text);
  } catch (err) {
    throw new KubeConfigError(file, `not a valid kubeconfig: ${firstLine(err)}`, err);
  }
  if (source.context) {
    if (!config.getContextObject(source.context))
      throw new KubeConfigError(file, `no context "${source.context}"`);
    config.setCurrentContext(source.context);
  }
  const context = config.getCurrentContext();
  if (!context) throw new KubeConfigError(file, 'no current-context is set');
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeConfigError(file, `context "${context}" names no known cluster`);
  if (!/^https?:\/\//.test(cluster.server)) {
    throw new KubeConfigError(file, `cluster "${cluster.name}" has no usable server URL`);
  }
  return { file, config, server: cluster.server.replace(/\/+$/, ''), context };
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
