// Flags every command shares, as kubectl and istioctl spell them.
import type { Command } from 'commander';
import type { Impersonation, KubeConfigSource } from '../kube/index.ts';

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  /** kubectl's --as: act as this user (needs the `impersonate` verb on it). */
  as?: string;
  asGroup?: string[];
  /** Print the stack and causes of a failure, not only its one-line message. */
  verbose?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function addGlobalOptions(program: Command): void {
  program
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('--as <user>', 'user to impersonate for the operation, as kubectl --as')
    .option('--as-group <group>', 'group to impersonate, repeatable, as kubectl --as-group', collect)
    .option('--verbose', 'on failure, print the stack trace and causes too');
}

/** Where to find the kubeconfig: flags first, then the KUBECONFIG the process was started with. */
export function kubeSource(global: GlobalOptions): KubeConfigSource {
  return { file: global.kubeconfig, context: global.context, envKubeconfig: process.env.KUBECONFIG };
}

/** The identity --as/--as-group ask for, if any (groups alone are refused by the API server, as in kubectl). */
export function impersonationOf(global: GlobalOptions): Impersonation | undefined {
  if (global.as === undefined) return undefined;
  return global.asGroup === undefined ? { user: global.as } : { user: global.as, groups: global.asGroup };
}
