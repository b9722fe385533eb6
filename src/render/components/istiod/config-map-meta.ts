// The metadata of istiod's ConfigMaps: named per revision, labelled with it (istiod finds its own by these).
import type { ObjectMeta } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned, revLabel } from '../../context.ts';

export function pilotConfigMapMeta(ctx: RenderContext, name: string): ObjectMeta {
  return {
    name: revisioned(ctx, name),
    namespace: ctx.namespace,
    labels: { 'istio.io/rev': revLabel(ctx), 'operator.istio.io/component': 'Pilot' },
  };
}
