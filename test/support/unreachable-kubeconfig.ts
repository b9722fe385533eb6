// A kubeconfig whose server nobody listens on (127.0.0.1:1): how tests make "the cluster cannot be reached".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `unreachable.yaml` into `dir` and returns its path. */
export function writeUnreachableKubeconfig(dir: string): string {
  const path = join(dir, 'unreachable.yaml');
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  return path;
}
