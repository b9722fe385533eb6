// The usual frame of an integration test: the shared cluster, a client, and a throwaway namespace, set up before
// the suite and removed after it. Fields are filled in by `before`, so read them inside tests only.
import { after, before } from 'node:test';
import type { KubeClient } from '../../src/kube/index.ts';
import { sharedCluster } from '../cluster/index.ts';
import type { Cluster } from '../cluster/index.ts';
import { dropNamespace, withNamespace } from './namespaces.ts';

export interface SharedNamespace {
  cluster: Cluster;
  kube: KubeClient;
  ns: string;
}

export function useSharedNamespace(prefix: string): SharedNamespace {
  const fx = {} as SharedNamespace;
  before(async () => {
    fx.cluster = await sharedCluster();
    fx.kube = fx.cluster.client();
    fx.ns = await withNamespace(fx.kube, prefix);
  });
  after(async () => {
    await dropNamespace(fx.kube, fx.ns);
    await fx.cluster.stop();
  });
  return fx;
}
