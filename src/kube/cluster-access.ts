// How requests reach one cluster as one user: the TLS material and credentials a kubeconfig context (or the
// in-cluster configuration) names, put on each request's options. Read by our own code for the kinds of
// credentials kubectl's plain kubeconfigs hold, so a command does not load client-node's whole configuration
// module (about half a second of start-up) just to read a token (ADR 0020).
import { readFile } from 'node:fs/promises';
import type https from 'node:https';
import type { TokenFile } from './token-file.ts';

/** Puts this cluster's TLS settings and this user's credentials on a request's options. */
export interface ClusterAccess {
  secure(opts: https.RequestOptions): Promise<void>;
}

/** PEM text given in the file itself, or a file read when a request needs it (so a rotated file is used). */
export type Material = { readonly data: Buffer } | { readonly file: string };

export interface StaticAccess {
  readonly ca?: Material | undefined;
  readonly insecureSkipTlsVerify?: boolean | undefined;
  readonly tlsServerName?: string | undefined;
  readonly clientCertificate?: Material | undefined;
  readonly clientKey?: Material | undefined;
  /** A bearer token; `tokenFile` wins when both are given, as in client-go. */
  readonly token?: string | undefined;
  readonly tokenFile?: TokenFile | undefined;
  readonly basicAuth?: { readonly username: string; readonly password: string } | undefined;
  /** kubectl's `as`/`as-groups` user settings: requests impersonate this identity. */
  readonly impersonate?: { readonly user: string; readonly groups: readonly string[] } | undefined;
}

/** Material files are re-read at most this often, as client-go reloads rotated client certificates. */
const materialMaxAgeMs = 60_000;

async function bytes(material: Material, cache: Map<string, { at: number; data: Buffer }>): Promise<Buffer> {
  if ('data' in material) return material.data;
  const hit = cache.get(material.file);
  if (hit !== undefined && Date.now() - hit.at < materialMaxAgeMs) return hit.data;
  const data = await readFile(material.file);
  cache.set(material.file, { at: Date.now(), data });
  return data;
}

/** The credential headers: a bearer token (tokenFile first), the file's impersonation. */
async function credentialHeaders(settings: StaticAccess): Promise<Record<string, string | string[]>> {
  const headers: Record<string, string | string[]> = {};
  const token = settings.tokenFile ? await settings.tokenFile.current() : settings.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (settings.impersonate) {
    // Lower case, as the transport's own impersonation headers (an explicit --as wins over the file's).
    headers['impersonate-user'] = settings.impersonate.user;
    if (settings.impersonate.groups.length > 0)
      headers['impersonate-group'] = [...settings.impersonate.groups];
  }
  return headers;
}

/** Access built from plain settings: everything kubectl reads from a kubeconfig except exec and auth plugins. */
export function staticAccess(settings: StaticAccess): ClusterAccess {
  const cache = new Map<string, { at: number; data: Buffer }>();
  const read = (m: Material | undefined) => (m === undefined ? undefined : bytes(m, cache));
  return {
    async secure(opts) {
      const [ca, cert, key, headers] = await Promise.all([
        read(settings.ca),
        read(settings.clientCertificate),
        read(settings.clientKey),
        credentialHeaders(settings),
      ]);
      Object.assign(opts, {
        ...(ca && { ca }),
        ...(cert && { cert }),
        ...(key && { key }),
        ...(settings.insecureSkipTlsVerify && { rejectUnauthorized: false }),
        ...(settings.tlsServerName && { servername: settings.tlsServerName }),
        ...(!headers.Authorization && settings.basicAuth && { auth: basic(settings.basicAuth) }),
      });
      opts.headers = { ...(opts.headers as Record<string, string> | undefined), ...headers };
    },
  };
}

const basic = (b: { username: string; password: string }): string => `${b.username}:${b.password}`;

/**
 * Access through client-node, loaded only when a kubeconfig user runs an exec credential plugin or an auth
 * provider: those run programs, cache and refresh what they print, which client-node already does well.
 */
export function pluginAccess(kubeconfigText: string, context: string): ClusterAccess {
  let loaded: Promise<(opts: https.RequestOptions) => Promise<void>> | undefined;
  const load = async () => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    config.loadFromString(kubeconfigText);
    config.setCurrentContext(context);
    return (opts: https.RequestOptions) => config.applyToHTTPSOptions(opts);
  };
  return {
    async secure(opts) {
      loaded ??= load();
      await (
        await loaded
      )(opts);
    },
  };
}
