// How istiod's pods are found. The default control plane is selected by `istio: pilot`, a revisioned one by
// its revision, so that two control planes in one namespace never select each other's pods.
import type { RenderContext } from '../../context.ts';

export type Labels = Record<string, string>;

export function istiodSelector(ctx: Pick<RenderContext, 'revision'>): Labels {
  return ctx.revision ? { app: 'istiod', 'istio.io/rev': ctx.revision } : { istio: 'pilot' };
}

/** The Service and PDB select `app: istiod` as well, which the default Deployment's selector leaves out. */
export function istiodServiceSelector(ctx: Pick<RenderContext, 'revision'>): Labels {
  return { app: 'istiod', ...istiodSelector(ctx) };
}

/** Pods of a revisioned istiod carry `istio: istiod`, so `istio: pilot` keeps meaning the default one. */
export function istiodPodLabels(ctx: Pick<RenderContext, 'revision'>, rev: string): Labels {
  return {
    app: 'istiod',
    'istio.io/rev': rev,
    'sidecar.istio.io/inject': 'false',
    'operator.istio.io/component': 'Pilot',
    istio: ctx.revision ? 'istiod' : 'pilot',
    // istiod itself is never captured by ambient mode.
    'istio.io/dataplane-mode': 'none',
    'app.kubernetes.io/name': 'istiod',
  };
}
