// The sidecar injector: a MutatingWebhookConfiguration whose webhooks send pod creations to istiod's /inject,
// one webhook per way a namespace or pod can ask for this revision (see injection-selectors.ts).
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revLabel } from '../../context.ts';
import { clientConfig, istiodWebhookPort } from './client-config.ts';
import type { ClientConfig } from './client-config.ts';
import { injectionSelectors } from './injection-selectors.ts';
import type { InjectionSelectors } from './injection-selectors.ts';
import { webhookSettings } from './webhook-settings.ts';
import { injectorName } from './webhook-names.ts';

export interface InjectorOptions {
  /** The MWC name; default: revisioned 'istio-sidecar-injector' (with `-<namespace>` outside istio-system). */
  name?: string;
  /** A revision tag this injector serves, for issue-6 revision tags (istio-revision-tag-<tag>). */
  tag?: string;
}

export const injectorWebhookSuffix = 'sidecar-injector.istio.io';

/** Labels Istio finds injectors by: istiod patches the caBundle of those with its `istio.io/rev`. */
function injectorLabels(ctx: RenderContext, tag: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {
    app: 'sidecar-injector',
    'app.kubernetes.io/name': 'istiod',
    'istio.io/rev': revLabel(ctx),
    'operator.istio.io/component': 'Pilot',
  };
  return tag === undefined ? labels : { ...labels, 'istio.io/tag': tag };
}

function injectorWebhook(target: ClientConfig, reinvocationPolicy: string, selectors: InjectionSelectors) {
  return {
    name: `${selectors.prefix}${injectorWebhookSuffix}`,
    clientConfig: target,
    sideEffects: 'None',
    rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    failurePolicy: 'Fail',
    reinvocationPolicy,
    admissionReviewVersions: ['v1'],
    namespaceSelector: selectors.namespaceSelector,
    objectSelector: selectors.objectSelector,
  };
}

export function renderInjectorWebhook(ctx: RenderContext, options: InjectorOptions = {}): KubeObject {
  const settings = webhookSettings(ctx);
  const target = clientConfig(ctx, {
    url: settings.injectionURL,
    path: settings.injectionPath,
    caBundle: settings.injectionCABundle,
    port: istiodWebhookPort,
  });
  // A tag answers to its own name; the `default` tag, like the default revision, also takes the legacy labels.
  const selects = options.tag ?? revLabel(ctx);
  const selectors = injectionSelectors({
    selects,
    legacy: selects === 'default',
    enableNamespacesByDefault: settings.enableNamespacesByDefault,
  });
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: options.name ?? injectorName(ctx, options.tag),
      labels: injectorLabels(ctx, options.tag),
    },
    webhooks: selectors.map((s) => injectorWebhook(target, settings.reinvocationPolicy, s)),
  };
}
