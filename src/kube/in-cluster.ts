// The configuration a pod has without any kubeconfig: the API server's address from the service environment
// (KUBERNETES_SERVICE_HOST/PORT) and the credentials the kubelet mounts for the pod's service account. Built as
// client-go's rest.InClusterConfig builds it, except that the token's age is measured on an injectable clock.
import { accessSync, constants, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import { staticAccess } from './cluster-access.ts';
import type { LoadedKubeConfig } from './config.ts';
import { InClusterConfigError } from './errors.ts';
import { TokenFile } from './token-file.ts';

export const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterSource {
  /** KUBERNETES_SERVICE_HOST, passed in by main (modules never read process.env themselves). */
  host?: string | undefined;
  /** KUBERNETES_SERVICE_PORT, passed in by main. */
  port?: string | undefined;
  /** Where the service account's token, ca.crt and namespace are mounted; tests point this at a temp dir. */
  serviceAccountDir?: string | undefined;
  /** How long a token read from the file is used before the file is read again (default: a minute). */
  tokenMaxAgeMs?: number | undefined;
  /** The clock that ages the token; tests move it by hand. */
  now?: (() => number) | undefined;
}

// What the in-cluster configuration's one context is called in messages and LoadedKubeConfig.context.
const name = 'in-cluster';

/** What messages call the in-cluster configuration (LoadedKubeConfig.file). */
export const inClusterLabel = (dir: string): string => `in-cluster (${dir})`;

/** Whether the environment of a pod is present at all: without the service host there is nothing to try. */
export const inClusterPossible = (source: InClusterSource | undefined): boolean => Boolean(source?.host);

export function loadInClusterConfig(source: InClusterSource = {}): LoadedKubeConfig {
  const dir = source.serviceAccountDir ?? defaultServiceAccountDir;
  const label = inClusterLabel(dir);
  const server = inClusterServer(source, label);
  const caFile = join(dir, 'ca.crt');
  try {
    accessSync(caFile, constants.R_OK);
  } catch (err) {
    throw new InClusterConfigError(label, `CA file ${caFile} ${unreadable(err)}`, err);
  }
  const token = new TokenFile({ path: join(dir, 'token'), maxAgeMs: source.tokenMaxAgeMs, now: source.now });
  try {
    token.load();
  } catch (err) {
    throw new InClusterConfigError(label, err instanceof Error ? err.message : String(err), err);
  }
  // The CA is named by file, so a rotated CA is read again (at most once a minute), as the token is.
  const access = staticAccess({ ca: { file: caFile }, tokenFile: token });
  return { file: label, access, server, context: name, namespace: podNamespace(dir) };
}

/**
 * The API server URL: always https, as client-go builds it (client-node's own loader switches to http for
 * ports 80, 8080 and 8001; an API server reached through the kubernetes Service never serves plain HTTP).
 * An IPv6 address is bracketed, or the URL would read its colons as a port.
 */
export function inClusterServer(source: Pick<InClusterSource, 'host' | 'port'>, label: string): string {
  const { host, port } = source;
  if (!host) throw new InClusterConfigError(label, 'KUBERNETES_SERVICE_HOST is not set');
  if (!port) throw new InClusterConfigError(label, 'KUBERNETES_SERVICE_PORT is not set');
  if (!/^\d{1,5}$/.test(port)) {
    throw new InClusterConfigError(label, `KUBERNETES_SERVICE_PORT "${port}" is not a port number`);
  }
  return `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** The pod's namespace as the kubelet mounts it; optional, as in client-go. */
function podNamespace(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function unreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES') return 'permission denied';
  return `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
}
