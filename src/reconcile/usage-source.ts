// Where the reconciler learns which namespaces and pods refer to a revision: only those labelled for one, and
// only their metadata. The controller keeps them in label-selected, metadata-only informers, so a reconcile
// reads memory, not the API server, and no pass lists every pod of the cluster. `listedUsage` reads the same
// through the API, for one-off callers (the CLI, tests of the reconciler alone).
import type { KubeObject, ObjectClient, TypeRef } from '../kube/index.ts';
import { IstioLabel } from '../revisions/index.ts';
import type { Logger, Manager } from '../runtime/index.ts';
import { Informer } from '../runtime/index.ts';

export interface UsageSnapshot {
  namespaces: readonly KubeObject[];
  pods: readonly KubeObject[];
}

export interface UsageSource {
  /** What refers to revisions now. Throws when it cannot be known (caches not synced): InUse is then Unknown. */
  read(): Promise<UsageSnapshot>;
  /** Calls `handler` with the istio.io/rev values an informed change touched (none for list-based sources). */
  onChange?(handler: (revisionValues: readonly string[]) => void): void;
}

const namespaceType: TypeRef = { apiVersion: 'v1', kind: 'Namespace' };
const podType: TypeRef = { apiVersion: 'v1', kind: 'Pod' };

// Pods that ended hold no proxy; the field selector drops them (and a pod that ends leaves the informer).
const runningPods = 'status.phase!=Succeeded,status.phase!=Failed';
const selectors = {
  revisionNamespaces: IstioLabel.revision,
  injectionNamespaces: IstioLabel.injection,
  revisionPods: IstioLabel.revision,
} as const;

function uniqueByName(objects: readonly KubeObject[]): KubeObject[] {
  return [...new Map(objects.map((o) => [o.metadata.name ?? '', o])).values()];
}

export function listedUsage(client: ObjectClient): UsageSource {
  return {
    async read() {
      const list = async (type: TypeRef, labelSelector: string, fieldSelector?: string) =>
        (await client.list(type, { labelSelector, fieldSelector, metadataOnly: true })).items;
      const namespaces = [
        ...(await list(namespaceType, selectors.revisionNamespaces)),
        ...(await list(namespaceType, selectors.injectionNamespaces)),
      ];
      const pods = await list(podType, selectors.revisionPods, runningPods);
      return { namespaces: uniqueByName(namespaces), pods };
    },
  };
}

const revisionValueOf = (o: KubeObject): string[] => {
  const value = o.metadata.labels?.[IstioLabel.revision];
  return value === undefined ? [] : [value];
};

/** Informers for the three selections, added to the manager so they start (and sync) before controllers. */
export function informedUsage(client: ObjectClient, manager: Manager, logger: Logger): UsageSource {
  const make = (type: TypeRef, labelSelector: string, fieldSelector?: string): Informer => {
    const informer = new Informer(client, {
      type,
      labelSelector,
      ...(fieldSelector ? { fieldSelector } : {}),
      metadataOnly: true,
      logger: logger.child({ component: 'informer', kind: type.kind, selector: labelSelector }),
    });
    manager.add(informer);
    return informer;
  };
  const informers = [
    make(namespaceType, selectors.revisionNamespaces),
    make(namespaceType, selectors.injectionNamespaces),
    make(podType, selectors.revisionPods, runningPods),
  ] as const;
  return {
    read() {
      if (!informers.every((i) => i.hasSynced())) {
        return Promise.reject(new Error('namespace and pod caches have not synced yet'));
      }
      const [revNs, injNs, pods] = informers;
      return Promise.resolve({
        namespaces: uniqueByName([...revNs.store.list(), ...injNs.store.list()]),
        pods: pods.store.list(),
      });
    },
    onChange(handler) {
      for (const informer of informers) {
        informer.onChange((obj, previous) => {
          handler([...revisionValueOf(obj), ...(previous ? revisionValueOf(previous) : [])]);
        });
        informer.onDelete((obj) => {
          handler(revisionValueOf(obj));
        });
      }
    },
  };
}
