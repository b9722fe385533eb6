// The renderer: a pure function from a MeshConfig (name and spec), its Istio release and that release's
// artifacts to the objects that make up the mesh. The operator applies exactly this; `meshop manifest generate`
// prints exactly this. Same input, same objects, same order.
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { ComponentKey, enabledComponents } from '../profiles/index.ts';
import type { EnabledComponent } from '../profiles/index.ts';
import { isJsonArray, isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';
import type { RenderedComponent } from './component.ts';
import { ComponentName } from './component.ts';
import { renderAddons } from './components/addons/index.ts';
import { renderBase } from './components/base.ts';
import { renderCni } from './components/cni/index.ts';
import { renderGateway } from './components/gateways/index.ts';
import type { GatewayInput } from './components/gateways/index.ts';
import { renderPilot } from './components/istiod/index.ts';
import {
  renderDefaultValidatorWebhook,
  renderInjectorWebhook,
  renderWebhooks,
} from './components/webhooks/index.ts';
import { renderZtunnel } from './components/ztunnel/index.ts';
import { buildRenderContext } from './context-builder.ts';
import type { MeshInput } from './context-builder.ts';
import type { RenderContext } from './context.ts';
import { revLabel } from './context.ts';
import { applyK8sSettings } from './k8s-settings.ts';
import { sortObjects } from './object-order.ts';
import { ownershipLabels, withOwnership, withSharedOwnership } from './ownership.ts';
import { asRenderError, RenderError } from './render-errors.ts';
import { readString, readTree } from './values.ts';

export interface RenderResult {
  context: RenderContext;
  /** Per component, its objects with k8s settings and ownership applied. */
  components: RenderedComponent[];
  /** Every object of every component, in apply order (see object-order.ts). */
  objects: KubeObject[];
}

/** The entry of `spec.components.<list>` with this gateway name. */
function gatewayEntry(ctx: RenderContext, list: string, name: string): ReadonlyJsonObject {
  const entries = ctx.components[list];
  const found = (isJsonArray(entries) ? entries : []).find((g) => isJsonObject(g) && g.name === name);
  return isJsonObject(found) ? found : {};
}

function gatewayInput(ctx: RenderContext, entry: EnabledComponent): GatewayInput {
  const spec = gatewayEntry(ctx, entry.key, entry.name);
  const hub = readString(spec, 'hub', '');
  const tag = readString(spec, 'tag', '');
  return {
    kind: entry.key === ComponentKey.IngressGateways ? 'ingress' : 'egress',
    name: entry.name,
    namespace: entry.namespace ?? ctx.namespace,
    ...(isJsonObject(spec.label) ? { label: spec.label as Record<string, string> } : {}),
    ...(hub ? { hub } : {}),
    ...(tag ? { tag } : {}),
    ...(isJsonObject(spec.k8s) ? { k8s: spec.k8s } : {}),
  };
}

function gatewayComponent(ctx: RenderContext, entry: EnabledComponent): RenderedComponent {
  const input = gatewayInput(ctx, entry);
  const component = renderGateway(ctx, input);
  if (input.namespace === ctx.namespace) return component;
  // A gateway in a namespace of its own: render the namespace too, so the manifest applies on an empty cluster.
  const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: input.namespace } };
  return { ...component, objects: [ns, ...component.objects] };
}

/** The spec of one component, whose `k8s` settings apply to what it rendered. */
function componentSpec(ctx: RenderContext, component: RenderedComponent): ReadonlyJsonObject | undefined {
  if (component.instance !== undefined) return gatewayEntry(ctx, component.name, component.instance);
  const addon = readTree(ctx.spec, `addons.${component.name}`);
  if (Object.keys(addon).length > 0) return addon;
  return readTree(ctx.components, component.name);
}

/**
 * `spec.revisionTags`: one injector per tag, pointing at the tag's revision (`active` means this MeshConfig's
 * revision). Which revisions exist and which tag may move where is the upgrade controller's business; the
 * renderer only draws what the spec says.
 */
function renderRevisionTags(ctx: RenderContext): RenderedComponent[] {
  const tags = readTree(ctx.spec, 'revisionTags');
  const objects = Object.entries(tags).flatMap(([tag, target]) => {
    const revision = typeof target === 'string' && target !== 'active' ? target : (ctx.revision ?? 'default');
    const tagCtx = { ...ctx, revision: revision === 'default' ? undefined : revision };
    const injector = renderInjectorWebhook(tagCtx, { tag });
    // The default tag also validates config cluster-wide, unless values.defaultRevision already renders that.
    const validator =
      tag === 'default' && readString(ctx.values, 'defaultRevision', '') === ''
        ? [renderDefaultValidatorWebhook(tagCtx, { forDefaultTag: true })]
        : [];
    return [injector, ...validator];
  });
  return objects.length > 0 ? [{ name: ComponentName.RevisionTags, objects }] : [];
}

function renderEnabled(ctx: RenderContext, entry: EnabledComponent): RenderedComponent[] {
  switch (entry.key) {
    case ComponentKey.Base:
      return [{ name: ComponentName.Base, objects: renderBase(ctx) }];
    case ComponentKey.Pilot:
      return [renderPilot(ctx), renderWebhooks(ctx), ...renderRevisionTags(ctx)];
    case ComponentKey.Cni:
      return [renderCni(ctx)];
    case ComponentKey.Ztunnel:
      return [renderZtunnel(ctx)];
    default:
      return [gatewayComponent(ctx, entry)];
  }
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

function finish(ctx: RenderContext, rendered: RenderedComponent): RenderedComponent {
  const component = withProxyRelease(ctx, rendered);
  const k8s = componentSpec(ctx, component)?.k8s;
  const patched = applyK8sSettings(component, isJsonObject(k8s) ? k8s : undefined);
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
  try {
    const ctx = buildRenderContext(mesh, release, artifacts);
    const rendered = [
      ...enabledComponents(ctx.spec).flatMap((e) => renderEnabled(ctx, e)),
      ...renderAddons(ctx),
    ];
    const components = rendered.map((c) => finish(ctx, c));
    const objects = sortObjects(components.flatMap((c) => c.objects));
    checkUnique(objects);
    return { context: ctx, components, objects };
  } catch (err) {
    throw asRenderError(err);
  }
}
