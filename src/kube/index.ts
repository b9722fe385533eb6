// src/kube: the only layer that talks to the API server (and to @kubernetes/client-node, for credential plugins).
import type { KubeConfigSource, LoadedKubeConfig } from './config.ts';
import { loadKubeConfig } from './config.ts';
import { ObjectClient } from './object-client.ts';
import { Transport } from './transport.ts';
import type { TransportOptions } from './transport.ts';

export * from './config.ts';
export * from './discovery.ts';
export * from './errors.ts';
export * from './home-directory.ts';
export * from './in-cluster.ts';
export * from './object-client.ts';
export * from '../objects/index.ts';
export { Transport, retryAfterMs } from './transport.ts';
export type { Impersonation, RequestObservation, RequestObserver, TransportOptions } from './transport.ts';
export type { ClientRateLimit } from './token-bucket.ts';

export interface KubeClient {
  kubeconfig: LoadedKubeConfig;
  transport: Transport;
  objects: ObjectClient;
}

/** Loads the kubeconfig (or the in-cluster configuration, see loadKubeConfig) and builds the object client. */
export function connect(source: KubeConfigSource = {}, options: TransportOptions = {}): KubeClient {
  const kubeconfig = loadKubeConfig(source);
  const transport = new Transport(kubeconfig, options);
  return { kubeconfig, transport, objects: new ObjectClient(transport) };
}
