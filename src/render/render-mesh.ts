// The renderer: a pure function from a MeshConfig (name and spec), its Istio release and that release's
// artifacts to the objects that make up the mesh. The operator applies exactly this; `meshop manifest generate`
// prints exactly this. Same input, same objects, same order.
import { defaultRevisionName } from '../revisions/index.ts';
import { IstioLabel } from '../objects/index.ts';
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import type { KubeObject } from '../objects/index.ts';
import type { RenderedComponent } from './component.ts';
import { ComponentName } from './component.ts';
import { enabledInstances, renderInstance } from './chart-components.ts';
import type { ChartRenderInput, ComponentInstance } from './chart-components.ts';
import { renderAddons } from './components/addons/index.ts';
import { buildRenderContext } from './context-builder.ts';
import type { MeshInput } from './context-builder.ts';
import type { RenderContext } from './context.ts';
import { revLabel } from './context.ts';
import { istioComponents } from './istio-components.ts';
import { applyK8sSettings } from './k8s-settings.ts';
import { sortObjects } from './object-order.ts';
import { ownershipLabels, withOwnership, withSharedOwnership } from './ownership.ts';
import { asRenderError, InvalidForReleaseError, RenderError } from './render-errors.ts';
import { releaseSchemas } from './release-schemas.ts';
import { validateForRelease } from '../api/index.ts';
import { readString, readTree } from './values.ts';
import { getPath, isJsonObject } from '../tree/index.ts';

export interface RenderResult {
  context: RenderContext;
  /** Per component, its objects with k8s settings and ownership applied. */
  components: RenderedComponent[];
  /** Every object of every component, in apply order (see object-order.ts). */
  objects: KubeObject[];
}

const webhookKinds: ReadonlySet<string> = new Set([
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
]);

/**
 * istiod's chart renders its webhooks too; meshop applies them only once istiod answers (src/apply/plan.ts), so
 * they form a component of their own.
 */
function splitWebhooks(component: RenderedComponent): RenderedComponent[] {
  if (component.name !== ComponentName.Pilot) return [component];
  const hooks = component.objects.filter((o) => webhookKinds.has(o.kind));
  const rest = component.objects.filter((o) => !webhookKinds.has(o.kind));
  return [
    { ...component, objects: rest },
    ...(hooks.length > 0 ? [{ name: ComponentName.Webhooks, objects: hooks }] : []),
  ];
}

/**
 * The namespaces a manifest needs to apply on an empty cluster, which istioctl leaves to the user: the
 * control-plane namespace with the base component, a gateway's own namespace with the gateway.
 */
function withNamespace(
  ctx: RenderContext,
  instance: ComponentInstance,
  c: RenderedComponent,
): RenderedComponent {
  const own =
    instance.component.key === 'base' || (instance.component.multi && instance.namespace !== ctx.namespace);
  if (!own) return c;
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: instance.namespace } };
  return { ...c, objects: [ns, ...c.objects] };
}

function chartInput(ctx: RenderContext, values: Record<string, unknown> = {}): ChartRenderInput {
  const spec = { ...ctx.spec, values: { ...ctx.values, ...values } } as RenderContext['spec'];
  return { release: ctx.release, artifacts: ctx.artifacts, spec };
}

function chartOf(key: string) {
  const component = istioComponents.find((c) => c.key === key);
  if (!component) throw new Error(`no Istio component ${key}`);
  return component;
}

/** One object of a chart rendered with other values: how tag webhooks come from the release's own templates. */
interface ChartPick {
  key: 'base' | 'pilot';
  template: string;
  values: Record<string, unknown>;
  pick: (o: KubeObject) => boolean;
}

function renderFromChart(ctx: RenderContext, { key, template, values, pick }: ChartPick): KubeObject[] {
  const component = chartOf(key);
  const instance: ComponentInstance = { component, spec: {}, name: undefined, namespace: ctx.namespace };
  // Istio's charts complete their values in templates named zz* (the profile and its defaults), which must run
  // for any other template to see them.
  const valueShapers = ctx.artifacts
    .chart(component.chart)
    .files.map((f) => f.name)
    .filter((name) => name.startsWith('templates/zz'));
  return renderInstance(chartInput(ctx, values), instance, [template, ...valueShapers]).objects.filter(pick);
}

/** The cluster-wide default validator, pointing at `revision`, as `istioctl tag set default` creates it. */
function defaultValidator(ctx: RenderContext, revision: string): KubeObject[] {
  return renderFromChart(ctx, {
    key: 'base',
    template: 'templates/defaultrevision-validatingwebhookconfiguration.yaml',
    values: { defaultRevision: revision },
    pick: (o) =>
      o.kind === 'ValidatingWebhookConfiguration' && o.metadata.name === 'istiod-default-validator',
  });
}

/**
 * `spec.revisionTags`: one injector per tag, pointing at the tag's revision (`active` means this MeshConfig's
 * revision), drawn by the release's revision-tag template. Which revisions exist and which tag may move where is
 * the upgrade controller's business; the renderer only draws what the spec says.
 */
function renderRevisionTags(ctx: RenderContext): RenderedComponent[] {
  const tags = readTree(ctx.spec, 'revisionTags');
  const objects = Object.entries(tags).flatMap(([tag, target]) => {
    const revision = typeof target === 'string' && target !== 'active' ? target : revLabel(ctx);
    const injector = renderFromChart(ctx, {
      key: 'pilot',
      template: 'templates/revision-tags-mwc.yaml',
      values: { revision: revision === defaultRevisionName ? '' : revision, revisionTags: [tag] },
      pick: (o) => o.kind === 'MutatingWebhookConfiguration' && o.metadata.labels?.[IstioLabel.tag] === tag,
    });
    // The default tag also validates config cluster-wide, unless values.defaultRevision already renders that.
    const validator =
      tag === 'default' && readString(ctx.values, 'defaultRevision', '') === ''
        ? defaultValidator(ctx, revision)
        : [];
    return [...injector, ...validator];
  });
  return objects.length > 0 ? [{ name: ComponentName.RevisionTags, objects }] : [];
}

/**
 * An unrevisioned control plane validates config cluster-wide: `istioctl install` creates the default validator
 * (as the default tag) on a first install, which a manifest cannot express any other way. It joins istiod's
 * other webhooks.
 */
function withUnrevisionedValidator(ctx: RenderContext, rendered: RenderedComponent[]): RenderedComponent[] {
  const hooks = rendered.findIndex((c) => c.name === ComponentName.Webhooks);
  const tagged = isJsonObject(ctx.spec.revisionTags) && 'default' in ctx.spec.revisionTags;
  const component = rendered[hooks];
  if (ctx.revision !== undefined || component === undefined || tagged) return rendered;
  if (readString(ctx.values, 'defaultRevision', '') !== '') return rendered;
  if (getPath(ctx.values, 'global.configValidation') === false) return rendered;
  const objects = defaultValidator(ctx, defaultRevisionName);
  const out = [...rendered];
  out[hooks] = { ...component, objects: [...component.objects, ...objects] };
  return out;
}

/**
 * A gateway's proxy is injected by istiod when its pod starts, so nothing in its Deployment changes when istiod
 * is upgraded in place. The release in the pod template does change, and rolls the gateway after istiod (the
 * gateways' phase waits for istiod), so the gateways follow the control plane.
 */
function withProxyRelease(ctx: RenderContext, component: RenderedComponent): RenderedComponent {
  const target = component.workload;
  if (component.instance === undefined || !target) return component;
  const objects = component.objects.map((o) => {
    if (o.kind !== target.kind || o.metadata.name !== target.name) return o;
    const spec = o.spec as { template?: { metadata?: { annotations?: Record<string, string> } } };
    const template = spec.template ?? {};
    const metadata = template.metadata ?? {};
    const annotations = { ...metadata.annotations, [ownershipLabels.istioVersion]: ctx.release.version };
    return { ...o, spec: { ...spec, template: { ...template, metadata: { ...metadata, annotations } } } };
  });
  return { ...component, objects };
}

/** Addons are meshop's own; their `k8s` settings apply here (Istio's components had theirs after the chart). */
function withAddonSettings(ctx: RenderContext, component: RenderedComponent): RenderedComponent {
  const addon = readTree(ctx.spec, `addons.${component.name}`);
  const k8s = addon.k8s;
  return applyK8sSettings(component, isJsonObject(k8s) ? k8s : undefined);
}

function finish(ctx: RenderContext, rendered: RenderedComponent, addon: boolean): RenderedComponent {
  const component = withProxyRelease(ctx, rendered);
  const patched = addon ? withAddonSettings(ctx, component) : component;
  const perRevision = component.name === ComponentName.Pilot || component.name === ComponentName.Webhooks;
  const owner = {
    mesh: ctx.mesh,
    component: component.name,
    revision: component.revision,
    controlPlane: perRevision ? { revision: revLabel(ctx), version: ctx.release.version } : undefined,
  };
  const own = (o: KubeObject): KubeObject =>
    o.kind === 'CustomResourceDefinition' ? withSharedOwnership(o, component.name) : withOwnership(o, owner);
  return { ...patched, objects: patched.objects.map(own) };
}

/** Two components must never render the same object: the second would silently overwrite the first. */
function checkUnique(objects: readonly KubeObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? ''}`;
    if (seen.has(key)) throw new RenderError('spec.components', `two components render ${key}`);
    seen.add(key);
  }
}

export function renderMesh(mesh: MeshInput, release: IstioRelease, artifacts: IstioArtifacts): RenderResult {
  // Before anything renders: what the release's own definitions refuse is reported whole, field by field.
  const problems = validateForRelease(mesh.spec, releaseSchemas(artifacts));
  if (problems.length > 0) throw new InvalidForReleaseError(release.version, problems);
  try {
    const ctx = buildRenderContext(mesh, release, artifacts);
    const input = chartInput(ctx);
    const istio = enabledInstances(ctx.spec, ctx.namespace).flatMap((instance) =>
      splitWebhooks(withNamespace(ctx, instance, renderInstance(input, instance))),
    );
    const rendered = [...withUnrevisionedValidator(ctx, istio), ...renderRevisionTags(ctx)];
    const components = [
      ...rendered.map((c) => finish(ctx, c, false)),
      ...renderAddons(ctx).map((c) => finish(ctx, c, true)),
    ];
    const objects = sortObjects(components.flatMap((c) => c.objects));
    checkUnique(objects);
    return { context: ctx, components, objects };
  } catch (err) {
    throw asRenderError(err);
  }
}
