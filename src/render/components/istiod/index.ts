// The pilot component: istiod and everything it needs in its namespace (identity, permissions, mesh and
// injection configuration, scaling). On a remote cluster (values.istiodRemote.enabled) istiod runs elsewhere,
// and only the reader permissions and the values record are rendered here; the injector webhook, which points
// at the remote istiod, belongs to the webhooks component.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';
import { readBool } from '../../values.ts';
import { istiodDeployment } from './deployment.ts';
import { injectorConfigMap } from './injector-config.ts';
import { istiodValues } from './istiod-values.ts';
import type { IstiodValues } from './istiod-values.ts';
import { meshConfigMap } from './mesh-config.ts';
import { istiodRbac, readerRbac } from './rbac.ts';
import { istiodHpa, istiodPdb } from './scaling.ts';
import { istiodService } from './service.ts';
import { stableChannelPolicy } from './stable-channel-policy.ts';
import { valuesConfigMap } from './values-config.ts';

export { istiodValues } from './istiod-values.ts';
export type { IstiodValues } from './istiod-values.ts';
export { meshConfigOf } from './mesh-config.ts';
export { injectorConfig, injectorValues, sortedJson } from './injector-config.ts';
export { pilotImage } from './discovery-container.ts';
export { istiodSelector, istiodServiceSelector } from './selectors.ts';

/** Whether istiod runs in this cluster: not on a remote cluster, unless it keeps a local injector istiod. */
export function runsIstiod(ctx: RenderContext): boolean {
  return (
    !readBool(ctx.values, 'istiodRemote.enabled', false) ||
    readBool(ctx.values, 'istiodRemote.enabledLocalInjectorIstiod', false)
  );
}

function present(objects: (KubeObject | undefined)[]): KubeObject[] {
  return objects.filter((o): o is KubeObject => o !== undefined);
}

function serviceAccount(ctx: RenderContext, v: IstiodValues): KubeObject {
  const secrets = v.global.imagePullSecrets;
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: revisioned(ctx, 'istiod'), namespace: ctx.namespace, labels: { app: 'istiod' } },
    ...(Array.isArray(secrets) && secrets.length > 0
      ? { imagePullSecrets: secrets.filter((n) => typeof n === 'string').map((name) => ({ name })) }
      : {}),
  };
}

function istiodObjects(ctx: RenderContext, v: IstiodValues): KubeObject[] {
  return present([
    meshConfigMap(ctx, v),
    injectorConfigMap(ctx, v),
    istiodDeployment(ctx, v),
    istiodPdb(ctx, v),
    istiodHpa(ctx, v),
    istiodService(ctx, v),
    ...stableChannelPolicy(ctx),
  ]);
}

export function renderPilot(ctx: RenderContext): RenderedComponent {
  const v = istiodValues(ctx);
  const local = runsIstiod(ctx);
  const remote = !local;
  const configCluster = readBool(v.global, 'configCluster', false);
  const withIdentity = local || configCluster;
  const readerEnabled = readBool(v.global, 'enableReaderRBAC', true);
  const objects = [
    ...(withIdentity ? [serviceAccount(ctx, v)] : []),
    ...(withIdentity
      ? istiodRbac(ctx, revisioned(ctx, 'istiod'), {
          untaintNodes: readBool(v.pilot, 'taint.enabled', false),
        })
      : []),
    ...(readerEnabled ? readerRbac(ctx, remote) : []),
    ...(local ? istiodObjects(ctx, v) : present([injectorConfigMap(ctx, v), meshConfigMap(ctx, v)])),
    valuesConfigMap(ctx, v),
  ];
  const name = revisioned(ctx, 'istiod');
  return {
    name: ComponentName.Pilot,
    revision: ctx.revision,
    objects,
    ...(local
      ? { workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: 'discovery' } }
      : {}),
  };
}
