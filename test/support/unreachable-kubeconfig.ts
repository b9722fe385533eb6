// Kubeconfigs for tests that need a server address of their own choosing: one nobody listens on (127.0.0.1:1, how
// tests make "the cluster cannot be reached"), or a plain-HTTP proxy on loopback.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a one-context kubeconfig for `server` to `path`. TLS verification is off: the servers are loopback test
 * servers (and client-node accepts plain http only so).
 */
export function writeTestKubeconfig(path: string, server: string, user: string): string {
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: '${server}', insecure-skip-tls-verify: true}}]
users: [{name: u, user: ${user}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  return path;
}

/** Writes `unreachable.yaml` into `dir` and returns its path. */
export function writeUnreachableKubeconfig(dir: string): string {
  return writeTestKubeconfig(join(dir, 'unreachable.yaml'), 'https://127.0.0.1:1', '{token: t}');
}
