// Config validation: ValidatingWebhookConfigurations sending creates and updates of Istio's config to istiod's
// /validate. Each revision validates the config labelled for it; the default revision also validates config
// that names no revision, through `istiod-default-validator`.
//
// failurePolicy starts as Ignore, as istioctl renders it on install: validation fails open until istiod has
// its certificate in place, then istiod itself switches it to Fail. A user-supplied CA bundle means no such
// wait, so it fails closed from the start (and istiod leaves that webhook alone).
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revLabel } from '../../context.ts';
import { clientConfig } from './client-config.ts';
import { InjectionLabel, absent, isIn, selector } from './label-selectors.ts';
import type { LabelSelector } from './label-selectors.ts';
import { webhookSettings } from './webhook-settings.ts';
import { defaultValidatorName, validatorName } from './webhook-names.ts';

/** The API groups of Istio's config; istiod rejects what it could not serve. */
export const validatedApiGroups = [
  'security.istio.io',
  'networking.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
];

interface ValidationWebhook {
  name: string;
  /** Which objects it validates, by their `istio.io/rev` label; none for every object. */
  objectSelector?: LabelSelector;
}

function validationWebhook(ctx: RenderContext, webhook: ValidationWebhook) {
  const settings = webhookSettings(ctx);
  const base = {
    name: webhook.name,
    clientConfig: clientConfig(ctx, {
      url: settings.validationURL,
      path: '/validate',
      caBundle: settings.validationCABundle,
    }),
    rules: [
      {
        operations: ['CREATE', 'UPDATE'],
        apiGroups: validatedApiGroups,
        apiVersions: ['*'],
        resources: ['*'],
      },
    ],
    failurePolicy: settings.validationCABundle ? 'Fail' : 'Ignore',
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
  };
  return webhook.objectSelector ? { ...base, objectSelector: webhook.objectSelector } : base;
}

/** Labels istiod's validation controller finds its configurations by (`istio.io/rev`). */
function validatorLabels(ctx: RenderContext): Record<string, string> {
  return {
    app: 'istiod',
    'app.kubernetes.io/name': 'istiod',
    istio: 'istiod',
    'istio.io/rev': revLabel(ctx),
  };
}

/** `istio-validator[-<rev>]-<ns>`: validates the config labelled `istio.io/rev=<rev or default>`. */
export function renderValidatorWebhook(ctx: RenderContext): KubeObject {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: validatorName(ctx), labels: validatorLabels(ctx) },
    webhooks: [
      validationWebhook(ctx, {
        name: 'rev.validation.istio.io',
        objectSelector: selector(isIn(InjectionLabel.revision, revLabel(ctx))),
      }),
    ],
  };
}

export interface DefaultValidatorOptions {
  /**
   * Render it as the `default` revision tag does (`istioctl tag set default`): labelled `istio.io/tag=default`
   * and validating only config without an `istio.io/rev` label. Otherwise it is the form an install with
   * `values.defaultRevision` renders, which validates all Istio config.
   */
  forDefaultTag?: boolean;
}

/** `istiod-default-validator`, served by the context's revision. */
export function renderDefaultValidatorWebhook(
  ctx: RenderContext,
  options: DefaultValidatorOptions = {},
): KubeObject {
  const labels = validatorLabels(ctx);
  const tagged = options.forDefaultTag === true;
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: defaultValidatorName,
      labels: tagged
        ? { ...labels, 'istio.io/tag': 'default', 'operator.istio.io/component': 'Pilot' }
        : labels,
    },
    webhooks: [
      validationWebhook(ctx, {
        name: 'validation.istio.io',
        ...(tagged ? { objectSelector: selector(absent(InjectionLabel.revision)) } : {}),
      }),
    ],
  };
}
