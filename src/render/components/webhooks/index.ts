// src/render/components/webhooks: istiod's admission webhooks for one revision: the sidecar injector, config
// validation, and the cluster-wide default validator when this revision is the default. Which ones render
// follows the istiod and base charts' switches (see webhook-settings.ts).
import { ComponentKey, enabledComponents } from '../../../profiles/index.ts';
import { ComponentName } from '../../component.ts';
import type { RenderedComponent } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { revLabel } from '../../context.ts';
import type { KubeObject } from '../../../kube/index.ts';
import { renderInjectorWebhook } from './injector.ts';
import { renderDefaultValidatorWebhook, renderValidatorWebhook } from './validator.ts';
import { webhookSettings } from './webhook-settings.ts';
import { readTree } from '../../values.ts';
import type { WebhookSettings } from './webhook-settings.ts';

export { injectorWebhookSuffix, renderInjectorWebhook } from './injector.ts';
export type { InjectorOptions } from './injector.ts';
export { renderDefaultValidatorWebhook, renderValidatorWebhook, validatedApiGroups } from './validator.ts';
export type { DefaultValidatorOptions } from './validator.ts';
export { defaultValidatorName, injectorName, validatorName } from './webhook-names.ts';
export { InjectionLabel } from './label-selectors.ts';

/** A remote cluster validates only if it holds the config or injects locally; else the remote istiod does. */
function validates(settings: WebhookSettings): boolean {
  return settings.configValidation && (!settings.remote || settings.remoteValidates);
}

/**
 * `values.defaultRevision` names this revision (the base chart renders it whenever it is set; we render it only
 * from the revision it names, so two control planes never both claim the one cluster-wide object). Unset, the
 * unrevisioned control plane is the default, as after `istioctl install`, which creates the default tag (and so
 * this validator) on a first install: config that names no revision is validated too. A `default` revision tag
 * brings its own (render-mesh.ts).
 */
function isDefaultValidator(ctx: RenderContext, settings: WebhookSettings): boolean {
  const baseEnabled = enabledComponents(ctx.spec).some((c) => c.key === ComponentKey.Base);
  const implicit = settings.defaultRevision === '' && !hasDefaultTag(ctx) && validates(settings);
  const defaultRevision = implicit ? 'default' : settings.defaultRevision;
  return baseEnabled && defaultRevision !== '' && defaultRevision === revLabel(ctx);
}

const hasDefaultTag = (ctx: RenderContext): boolean =>
  readTree(ctx.spec, 'revisionTags').default !== undefined;

export function renderWebhooks(ctx: RenderContext): RenderedComponent {
  const settings = webhookSettings(ctx);
  const objects: KubeObject[] = [];
  if (settings.clusterResources) {
    if (!settings.operatorManageWebhooks) objects.push(renderInjectorWebhook(ctx));
    if (validates(settings)) objects.push(renderValidatorWebhook(ctx));
    if (isDefaultValidator(ctx, settings)) objects.push(renderDefaultValidatorWebhook(ctx));
  }
  return { name: ComponentName.Webhooks, revision: ctx.revision, objects };
}
