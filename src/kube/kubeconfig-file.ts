// Reading a kubeconfig file as kubectl does: the current (or named) context, its cluster and user, relative
// file paths taken from the file's own directory (client-go's ResolvePaths), base64 `-data` fields decoded.
// Users with an exec plugin or auth provider are served by client-node, loaded only for them (ADR 0020).
import { dirname, isAbsolute, resolve } from 'node:path';
// js-yaml, not `yaml`: half the code to load, on the start-up path of every command that reads a cluster (#14).
import { load } from 'js-yaml';
import { pluginAccess, staticAccess } from './cluster-access.ts';
import type { ClusterAccess, Material } from './cluster-access.ts';
import { TokenFile } from './token-file.ts';

type Fields = Record<string, unknown>;

/** What a kubeconfig's context resolves to; a plain Error explains what is wrong with the file. */
export interface KubeconfigContext {
  readonly context: string;
  readonly cluster: string;
  readonly server: string;
  readonly namespace: string | undefined;
  readonly access: ClusterAccess;
}

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(fields: Fields, key: string): string | undefined {
  const v = fields[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${key} is not a string`);
  return v;
}

/** The `{name, <kind>: {...}}` entry called `name` of a named list (clusters, users, contexts). */
function named(doc: Fields, list: string, kind: string, name: string): Fields | undefined {
  const items = doc[list] ?? [];
  if (!Array.isArray(items)) throw new Error(`${list} is not a list`);
  const entry = items.find((i): i is Fields => isFields(i) && i.name === name);
  if (entry === undefined) return undefined;
  const body = entry[kind] ?? {};
  if (!isFields(body)) throw new Error(`${list} "${name}" has no ${kind} object`);
  return body;
}

/** Parses the text; a syntax error or a document that is not a mapping is the caller's "not a valid kubeconfig". */
export function parseKubeconfig(text: string): Fields {
  const doc: unknown = load(text) ?? {};
  if (!isFields(doc)) throw new Error('the document is not a mapping');
  return doc;
}

function material(fields: Fields, key: string, base: string): Material | undefined {
  const data = str(fields, `${key}-data`);
  if (data) return { data: Buffer.from(data, 'base64') };
  const file = str(fields, key);
  return file ? { file: isAbsolute(file) ? file : resolve(base, file) } : undefined;
}

function groups(user: Fields): string[] {
  const v = user['as-groups'];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string') : [];
}

function accessOf(cluster: Fields, user: Fields, base: string): ClusterAccess {
  const tokenFile = str(user, 'tokenFile');
  const username = str(user, 'username');
  const as = str(user, 'as');
  return staticAccess({
    ca: material(cluster, 'certificate-authority', base),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster, 'tls-server-name'),
    clientCertificate: material(user, 'client-certificate', base),
    clientKey: material(user, 'client-key', base),
    token: str(user, 'token'),
    tokenFile: tokenFile
      ? new TokenFile({ path: isAbsolute(tokenFile) ? tokenFile : resolve(base, tokenFile) })
      : undefined,
    basicAuth: username === undefined ? undefined : { username, password: str(user, 'password') ?? '' },
    impersonate: as === undefined ? undefined : { user: as, groups: groups(user) },
  });
}

/**
 * The context `contextName` (else current-context) of the kubeconfig `file` holding `text`. Throws a one-line
 * Error for what kubectl would refuse: no current context, an unknown context or cluster, no server URL.
 */
export function resolveKubeconfig(
  file: string,
  text: string,
  doc: Fields,
  contextName?: string,
): KubeconfigContext {
  const context = contextName ?? str(doc, 'current-context') ?? '';
  if (context === '') throw new Error('no current-context is set');
  const ctx = named(doc, 'contexts', 'context', context);
  if (ctx === undefined) throw new Error(`no context "${context}"`);
  const { name, cluster, server } = clusterOf(doc, context, ctx);
  const user = named(doc, 'users', 'user', str(ctx, 'user') ?? '') ?? {};
  const plugin = user.exec !== undefined || user['auth-provider'] !== undefined;
  return {
    context,
    cluster: name,
    server,
    namespace: str(ctx, 'namespace'),
    access: plugin ? pluginAccess(text, context) : accessOf(cluster, user, dirname(file)),
  };
}

/** The context's cluster, which must exist and have an http(s) server URL (given back without trailing `/`). */
function clusterOf(
  doc: Fields,
  context: string,
  ctx: Fields,
): { name: string; cluster: Fields; server: string } {
  const name = str(ctx, 'cluster') ?? '';
  const cluster = named(doc, 'clusters', 'cluster', name);
  if (cluster === undefined) throw new Error(`context "${context}" names no known cluster`);
  const server = str(cluster, 'server') ?? '';
  if (!/^https?:\/\//.test(server)) throw new Error(`cluster "${name}" has no usable server URL`);
  return { name, cluster, server: server.replace(/\/+$/, '') };
}
