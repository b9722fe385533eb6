// The handful of values the webhook configurations depend on, read once: the release's istiod chart defaults
// under the layered spec's values, so a value the user never set still has the release's meaning.
import { deepMerge } from '../../../tree/index.ts';
import type { RenderContext } from '../../context.ts';
import { readBool, readString, readTree } from '../../values.ts';
import type { Tree } from '../../values.ts';

export interface WebhookSettings {
  /** `istiodRemote.injectionURL`: when set, the injector calls this URL instead of the istiod Service. */
  injectionURL: string;
  /** `istiodRemote.injectionPath`: the Service path, which may carry `/cluster/<c>/net/<n>` for a remote. */
  injectionPath: string;
  /** `istiodRemote.injectionCABundle`: a CA the user supplies when no local istiod will patch one in. */
  injectionCABundle: string;
  reinvocationPolicy: string;
  enableNamespacesByDefault: boolean;
  /** `base.validationURL`: when set, validation calls this URL instead of the istiod Service. */
  validationURL: string;
  /** `base.validationCABundle`: a user-supplied CA; it also makes validation fail closed from the start. */
  validationCABundle: string;
  configValidation: boolean;
  /** `global.operatorManageWebhooks`: someone else manages the injector, so it is not rendered. */
  operatorManageWebhooks: boolean;
  /** `global.resourceScope` is `all` or `cluster`: webhook configurations are cluster-scoped resources. */
  clusterResources: boolean;
  /** This cluster is served by an istiod elsewhere (`istiodRemote.enabled`, the remote profile). */
  remote: boolean;
  /** A remote cluster that still validates config: it is the config cluster or runs a local injector istiod. */
  remoteValidates: boolean;
  /** `defaultRevision`: the revision whose istiod validates config that names no revision ('' for none). */
  defaultRevision: string;
}

function layered(ctx: RenderContext, key: string): Tree {
  return deepMerge(readTree(ctx.artifacts.istiodValues, key), readTree(ctx.values, key));
}

export function webhookSettings(ctx: RenderContext): WebhookSettings {
  const remote = layered(ctx, 'istiodRemote');
  const injector = layered(ctx, 'sidecarInjectorWebhook');
  const global = layered(ctx, 'global');
  const base = layered(ctx, 'base');
  const scope = readString(global, 'resourceScope', 'all');
  return {
    injectionURL: readString(remote, 'injectionURL', ''),
    injectionPath: readString(remote, 'injectionPath', '') || '/inject',
    injectionCABundle: readString(remote, 'injectionCABundle', ''),
    reinvocationPolicy: readString(injector, 'reinvocationPolicy', '') || 'Never',
    enableNamespacesByDefault: readBool(injector, 'enableNamespacesByDefault', false),
    validationURL: readString(base, 'validationURL', ''),
    validationCABundle: readString(base, 'validationCABundle', ''),
    configValidation: readBool(global, 'configValidation', true),
    operatorManageWebhooks: readBool(global, 'operatorManageWebhooks', false),
    clusterResources: scope === 'all' || scope === 'cluster',
    remote: readBool(remote, 'enabled', false),
    remoteValidates:
      readBool(global, 'configCluster', false) || readBool(remote, 'enabledLocalInjectorIstiod', false),
    defaultRevision: readString(ctx.values, 'defaultRevision', ''),
  };
}
