// The cluster connection of a command: the kubeconfig from the global flags, acting as --as/--as-group when
// given. src/kube is loaded here, on demand: it costs most of the CLI's start-up time, and offline commands
// never need it.
import type { KubeClient } from '../kube/index.ts';
import { InputError } from './exit-codes.ts';
import type { GlobalOptions } from './global-options.ts';
import { impersonationOf, kubeSource } from './global-options.ts';

export async function connectCluster(global: GlobalOptions): Promise<KubeClient> {
  if (global.asGroup !== undefined && global.as === undefined) {
    throw new InputError('--as-group needs --as: the API server impersonates groups only of a user');
  }
  const { connect } = await import('../kube/index.ts');
  return connect(kubeSource(global), { impersonation: impersonationOf(global) });
}
