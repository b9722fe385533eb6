// Which pods each injector webhook claims. The selectors are built so that for any namespace and pod labels at
// most one webhook of all installed revisions matches: `istio-injection` on the namespace wins over
// `istio.io/rev` anywhere, a namespace's `istio.io/rev` wins over the pod's, and `sidecar.istio.io/inject=false`
// always opts out.
import { InjectionLabel as L, absent, isIn, notIn, selector } from './label-selectors.ts';
import type { LabelSelector } from './label-selectors.ts';

export interface InjectionSelectors {
  /** Prefix of the webhook name; the full name is `<prefix>sidecar-injector.istio.io`. */
  prefix: string;
  namespaceSelector: LabelSelector;
  objectSelector: LabelSelector;
}

/** Namespaces Istio never injects into by default, even when every other namespace is injected. */
export const neverInjectedByDefault = ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];

/** The two webhooks of every injector: namespaces or pods labelled `istio.io/rev=<selects>`. */
function revisionSelectors(selects: string): InjectionSelectors[] {
  return [
    {
      prefix: 'rev.namespace.',
      namespaceSelector: selector(isIn(L.revision, selects), absent(L.injection)),
      objectSelector: selector(notIn(L.inject, 'false')),
    },
    {
      prefix: 'rev.object.',
      namespaceSelector: selector(absent(L.revision), absent(L.injection)),
      objectSelector: selector(notIn(L.inject, 'false'), isIn(L.revision, selects)),
    },
  ];
}

/** The webhooks only the default injector has: `istio-injection=enabled` and `sidecar.istio.io/inject=true`. */
function legacySelectors(enableNamespacesByDefault: boolean): InjectionSelectors[] {
  const legacy: InjectionSelectors[] = [
    {
      prefix: 'namespace.',
      namespaceSelector: selector(isIn(L.injection, 'enabled')),
      objectSelector: selector(notIn(L.inject, 'false')),
    },
    {
      prefix: 'object.',
      namespaceSelector: selector(absent(L.injection), absent(L.revision)),
      objectSelector: selector(isIn(L.inject, 'true'), absent(L.revision)),
    },
  ];
  if (!enableNamespacesByDefault) return legacy;
  return [
    ...legacy,
    {
      prefix: 'auto.',
      namespaceSelector: selector(
        absent(L.injection),
        absent(L.revision),
        notIn(L.namespaceName, ...neverInjectedByDefault),
      ),
      objectSelector: selector(absent(L.inject), absent(L.revision)),
    },
  ];
}

export interface InjectionScope {
  /** The `istio.io/rev` value the injector answers to: its revision (or `default`), or a revision tag. */
  selects: string;
  /** Whether it also serves the unlabelled, legacy ways of asking for injection (the default revision). */
  legacy: boolean;
  enableNamespacesByDefault: boolean;
}

export function injectionSelectors(scope: InjectionScope): InjectionSelectors[] {
  const revision = revisionSelectors(scope.selects);
  return scope.legacy ? [...revision, ...legacySelectors(scope.enableNamespacesByDefault)] : revision;
}
