// Flags every command shares, as kubectl and istioctl spell them.
import type { Command } from 'commander';
import type { KubeConfigSource } from '../kube/index.ts';

export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
}

export function addGlobalOptions(program: Command): void {
  program
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use');
}

/** Where to find the kubeconfig: flags first, then the KUBECONFIG the process was started with. */
export function kubeSource(global: GlobalOptions): KubeConfigSource {
  return { file: global.kubeconfig, context: global.context, envKubeconfig: process.env.KUBECONFIG };
}
