// Where the reconciler learns which namespaces and pods refer to a revision: namespaces labelled for one, pods
// carrying the label every injection writes, and only their metadata (which holds the injection's annotations).
// The controller keeps them in label-selected, metadata-only informers, so a reconcile reads memory, not the API
// server, and no pass lists every pod of the cluster. Pods are indexed by the revision their proxy runs, so a
// pass reads only the pods of its mesh's revisions, not every injected pod (20,000 of them, issue #14).
// `listedUsage` reads the same through the API, for one-off callers (the CLI, tests of the reconciler alone).
import type { KubeObject, ObjectClient, TypeRef } from '../kube/index.ts';
import { IstioLabel, injectedPodSelector, podProxyRevision, proxyValuesFor } from '../revisions/index.ts';
import type { InformerOptions, Logger, Manager } from '../runtime/index.ts';
import { keepPodUsage } from './cache-keep.ts';
import { sameUsage } from './change-relevance.ts';
import { Informer, byObjectKey } from '../runtime/index.ts';

export interface UsageSnapshot {
  namespaces: readonly KubeObject[];
  /** The pods whose proxy counts for the revisions read (proxyValuesFor), in `namespace/name` order. */
  pods: readonly KubeObject[];
}

/** The revisions a read is for, with the tags that resolve to them. */
export interface UsageScope {
  revisions: readonly string[];
  tags: Readonly<Record<string, string>>;
}

export interface UsageSource {
  /**
   * What refers to revisions now: every namespace labelled for any revision, and the pods whose proxy counts for
   * `scope`'s. Throws when it cannot be known (caches not synced): InUse is then Unknown.
   */
  read(scope: UsageScope): Promise<UsageSnapshot>;
  /**
   * Calls `handler` with the revision values an informed change touched: namespaces' istio.io/rev labels, pods'
   * proxy revisions (none for list-based sources).
   */
  onChange?(handler: (revisionValues: readonly string[]) => void): void;
}

const namespaceType: TypeRef = { apiVersion: 'v1', kind: 'Namespace' };
const podType: TypeRef = { apiVersion: 'v1', kind: 'Pod' };

// Pods that ended hold no proxy; the field selector drops them (and a pod that ends leaves the informer).
const runningPods = 'status.phase!=Succeeded,status.phase!=Failed';
const selectors = {
  revisionNamespaces: IstioLabel.revision,
  injectionNamespaces: IstioLabel.injection,
  // Pods are injected ones, not ones labelled istio.io/rev: injection writes that as an annotation, not a label.
  injectedPods: injectedPodSelector,
} as const;

function uniqueByName(objects: readonly KubeObject[]): KubeObject[] {
  return [...new Map(objects.map((o) => [o.metadata.name ?? '', o])).values()];
}

/** Of `pods`, those whose proxy counts for `scope`. */
function podsFor(pods: readonly KubeObject[], scope: UsageScope): KubeObject[] {
  const values = new Set(proxyValuesFor(scope.revisions, scope.tags));
  return pods.filter((p) => values.has(podProxyRevision(p.metadata) ?? ''));
}

export function listedUsage(client: ObjectClient): UsageSource {
  return {
    async read(scope) {
      const list = async (type: TypeRef, labelSelector: string, fieldSelector?: string) =>
        (await client.list(type, { labelSelector, fieldSelector, metadataOnly: true })).items;
      const namespaces = [
        ...(await list(namespaceType, selectors.revisionNamespaces)),
        ...(await list(namespaceType, selectors.injectionNamespaces)),
      ];
      const pods = await list(podType, selectors.injectedPods, runningPods);
      return { namespaces: uniqueByName(namespaces), pods: podsFor(pods, scope) };
    },
  };
}

type RevisionValues = (o: KubeObject) => string[];

const namespaceRevisionValue: RevisionValues = (o) => {
  const value = o.metadata.labels?.[IstioLabel.revision];
  return value === undefined ? [] : [value];
};

// What the pod's proxy runs on, not what its labels ask for, so the change wakes the meshes it matters to.
const podRevisionValue: RevisionValues = (o) => {
  const value = podProxyRevision(o.metadata);
  return value === undefined ? [] : [value];
};

const byProxyRevision = 'proxyRevision';

interface Watched {
  informer: Informer;
  valuesOf: RevisionValues;
}

/** Informers for the three selections, added to the manager so they start (and sync) before controllers. */
export function informedUsage(client: ObjectClient, manager: Manager, logger: Logger): UsageSource {
  const make = (
    type: TypeRef,
    labelSelector: string,
    more: Pick<InformerOptions, 'fieldSelector' | 'keep' | 'indexes'> = {},
  ): Informer => {
    const informer = new Informer(client, {
      type,
      labelSelector,
      ...more,
      metadataOnly: true,
      logger: logger.child({ component: 'informer', kind: type.kind, selector: labelSelector }),
    });
    manager.add(informer);
    return informer;
  };
  const revNs = make(namespaceType, selectors.revisionNamespaces);
  const injNs = make(namespaceType, selectors.injectionNamespaces);
  const pods = make(podType, selectors.injectedPods, {
    fieldSelector: runningPods,
    keep: keepPodUsage,
    indexes: { [byProxyRevision]: podRevisionValue },
  });
  const watched: readonly Watched[] = [
    { informer: revNs, valuesOf: namespaceRevisionValue },
    { informer: injNs, valuesOf: namespaceRevisionValue },
    { informer: pods, valuesOf: podRevisionValue },
  ];
  return {
    read(scope) {
      if (!watched.every((w) => w.informer.hasSynced())) {
        return Promise.reject(new Error('namespace and pod caches have not synced yet'));
      }
      const values = proxyValuesFor(scope.revisions, scope.tags);
      return Promise.resolve({
        namespaces: uniqueByName([...revNs.store.list(), ...injNs.store.list()]),
        pods: values.flatMap((v) => pods.store.byIndex(byProxyRevision, v)).sort(byObjectKey),
      });
    },
    onChange(handler) {
      for (const { informer, valuesOf } of watched) {
        informer.onChange((obj, previous) => {
          // A pod's status or a namespace's other labels changing leaves every revision's usage as it was.
          if (sameUsage(obj, previous, valuesOf)) return;
          handler([...valuesOf(obj), ...(previous ? valuesOf(previous) : [])]);
        });
        informer.onDelete((obj) => {
          handler(valuesOf(obj));
        });
      }
    },
  };
}
