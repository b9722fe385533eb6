// src/render/components/addons: the observability addons Istio no longer installs itself (Prometheus, Grafana,
// Kiali, Jaeger, Zipkin), each a pure renderer of its objects in the control-plane namespace.
import type { RenderedComponent } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { readBool } from '../../values.ts';
import { renderGrafana } from './grafana.ts';
import { renderJaeger } from './jaeger.ts';
import { renderKiali } from './kiali.ts';
import { renderPrometheus } from './prometheus.ts';
import { renderZipkin } from './zipkin.ts';

export { addonImages } from './addon-images.ts';
export { renderGrafana } from './grafana.ts';
export { renderJaeger } from './jaeger.ts';
export { renderKiali } from './kiali.ts';
export { renderPrometheus } from './prometheus.ts';
export { renderZipkin } from './zipkin.ts';

export type AddonName = 'prometheus' | 'grafana' | 'kiali' | 'jaeger' | 'zipkin';

export const addonRenderers: Readonly<Record<AddonName, (ctx: RenderContext) => RenderedComponent>> = {
  prometheus: renderPrometheus,
  grafana: renderGrafana,
  kiali: renderKiali,
  jaeger: renderJaeger,
  zipkin: renderZipkin,
};

/** The addons `spec.addons` turns on (`enabled: true`; they are off unless asked for), in a fixed order. */
export function renderAddons(ctx: RenderContext): RenderedComponent[] {
  return (Object.keys(addonRenderers) as AddonName[])
    .filter((name) => readBool(ctx.spec, `addons.${name}.enabled`, false))
    .map((name) => addonRenderers[name](ctx));
}
