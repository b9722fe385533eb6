// Renders Istio's components from the release's own charts, as `istioctl manifest generate` does: which
// instances are on, each instance's view of the values, the chart evaluated by the chart engine, then the
// component's `k8s` settings as strategic merge patches and its overlays. meshop's own additions (ownership,
// namespaces, addons, revision tags) are made by the caller.
import { defaultRevisionName } from '../revisions/index.ts';
import { parseAllDocuments, Scalar, visit } from 'yaml';
import type { IstioArtifacts } from '../artifacts/index.ts';
import type { IstioRelease } from '../catalog/index.ts';
import { ChartRenderError } from '../charts/index.ts';
import type { KubeObject } from '../objects/index.ts';
import { deepMerge, getPath, isJsonArray, isJsonObject, setPath } from '../tree/index.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject } from '../tree/index.ts';
import type { RenderedComponent } from './component.ts';
import { istioComponents } from './istio-components.ts';
import type { IstioComponent } from './istio-components.ts';
import { applyK8sSettings } from './k8s-settings.ts';
import { RenderError } from './render-errors.ts';
import { asTree as tree } from './values.ts';

/** One enabled instance of a component: a gateway of a list, or the single base/pilot/cni/ztunnel. */
export interface ComponentInstance {
  component: IstioComponent;
  /** The entry under `spec.components` ({} when the component is on by default and not mentioned). */
  spec: ReadonlyJsonObject;
  /** The gateway's name; undefined for single components and a gateway left at its chart's name. */
  name: string | undefined;
  namespace: string;
}

/** The enabled instances of every component, in istioctl's order. */
export function enabledInstances(spec: ReadonlyJsonObject, namespace: string): ComponentInstance[] {
  const components = tree(spec.components);
  const values = tree(spec.values);
  return istioComponents.flatMap((component) => {
    const altEnabled =
      component.altEnablement !== undefined && getPath(values, component.altEnablement) === true;
    const instance = (entry: ReadonlyJsonObject): ComponentInstance => {
      const ns = typeof entry.namespace === 'string' && entry.namespace !== '' ? entry.namespace : namespace;
      const name = typeof entry.name === 'string' && entry.name !== '' ? entry.name : undefined;
      return { component, spec: entry, name, namespace: ns };
    };
    const declared = components[component.key];
    if (declared === undefined || declared === null) {
      return component.enabledByDefault || altEnabled ? [instance({})] : [];
    }
    const entries = component.multi ? (isJsonArray(declared) ? declared : []) : [declared];
    return entries
      .map(tree)
      .filter((entry) => entry.enabled !== false || altEnabled)
      .map(instance);
  });
}

type Setting = readonly [path: string, value: JsonValue];

/** A gateway's name, labels and Service ports: the gateway charts read them as values. */
function gatewaySettings(instance: ComponentInstance, k8s: ReadonlyJsonObject): Setting[] {
  if (!instance.component.multi) return [];
  const ports = getPath(k8s, 'service.ports');
  return [
    ['name', instance.name ?? ''],
    ['labels', tree(instance.spec.label) as JsonObject],
    ...(isJsonArray(ports) && ports.length > 0 ? [['ports', ports as JsonValue] as const] : []),
  ];
}

/** Replicas and autoscaling bounds reach the chart too, so its PDB guard (autoscaleMin > 1) sees them. */
function scaleSettings(instance: ComponentInstance, k8s: ReadonlyJsonObject): Setting[] {
  if (instance.component.workload?.kind !== 'Deployment') return [];
  const min = getPath(k8s, 'hpaSpec.minReplicas');
  const max = getPath(k8s, 'hpaSpec.maxReplicas');
  const replicas = k8s.replicaCount;
  return [
    ...(typeof min === 'number' ? [['autoscaleMin', min] as const] : []),
    ...(typeof max === 'number' && max > 0 ? [['autoscaleMax', max] as const] : []),
    ...(typeof replicas === 'number' && replicas > 0 ? [['replicaCount', replicas] as const] : []),
  ];
}

/** CPU settings reach the chart, where templates read them (ztunnel's ZTUNNEL_RESOURCE_CPU_* env). */
function cpuSettings(k8s: ReadonlyJsonObject): Setting[] {
  return ['limits', 'requests'].flatMap((bound): Setting[] => {
    const cpu = getPath(k8s, `resources.${bound}.cpu`);
    return typeof cpu === 'string' || typeof cpu === 'number'
      ? [[`resources.${bound}.cpu`, String(cpu)]]
      : [];
  });
}

function imageSettings(spec: ReadonlyJsonObject): Setting[] {
  const { hub, tag } = spec;
  return [
    ...(typeof hub === 'string' && hub !== '' ? [['hub', hub] as const] : []),
    ...(typeof tag === 'string' || typeof tag === 'number' ? [['tag', String(tag)] as const] : []),
  ].filter(([, value]) => value !== '');
}

/**
 * A chart that reads its values unprefixed sees the component's subtree at the top, beside `global` and the
 * shared scalar values; other components' subtrees stay out of its sight.
 */
function flattened(values: JsonObject, root: string): JsonObject {
  const flat: JsonObject = { global: tree(values.global) as JsonObject };
  for (const [key, value] of Object.entries(values)) if (!isJsonObject(value)) flat[key] = value;
  return { ...flat, ...(tree(getPath(values, root)) as JsonObject) };
}

/** The chart values one instance sees: the shared values with its name, labels, images and scale folded in. */
export function instanceValues(instance: ComponentInstance, values: ReadonlyJsonObject): JsonObject {
  const { component, spec } = instance;
  const k8s = tree(spec.k8s);
  const settings = [
    ...gatewaySettings(instance, k8s),
    ...scaleSettings(instance, k8s),
    ...cpuSettings(k8s),
    ...imageSettings(spec),
  ];
  const out = settings.reduce<JsonObject>(
    (acc, [path, value]) => setPath(acc, `${component.valuesRoot}.${path}`, value, { createMissing: true }),
    deepMerge({}, values),
  );
  return component.flattenValues ? flattened(out, component.valuesRoot) : out;
}

/**
 * A block scalar (`|`, `>`) that ends a document with no line break after it has no final newline in Go's YAML
 * parser, which Kubernetes and istioctl use; the JavaScript parser adds one. Documents are trimmed (as istioctl
 * splits them), so this decides, for example, the last CEL expression of a ValidatingAdmissionPolicy.
 */
function clipFinalBlockScalar(doc: ReturnType<typeof parseAllDocuments>[number], text: string): void {
  if (text.endsWith('\n') || !('contents' in doc)) return;
  visit(doc, {
    Scalar(_, node) {
      const end = node.range?.[1] ?? -1;
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      const source = node.srcToken && 'props' in node.srcToken ? node.srcToken.props : [];
      const keep = source.some((t) => t.type === 'block-scalar-header' && t.source.includes('+'));
      if (block && !keep && end >= text.length && typeof node.value === 'string') {
        node.value = node.value.replace(/\n$/, '');
      }
    },
  });
}

/** The chart's objects, in the order the chart lists them; empty and comment-only documents are dropped. */
function parseManifests(chart: string, texts: readonly string[]): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const text of texts) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) {
        throw new RenderError(
          'spec',
          `chart ${chart} rendered invalid YAML: ${doc.errors[0]?.message ?? ''}`,
        );
      }
      clipFinalBlockScalar(doc, text);
      const obj = doc.toJS() as KubeObject | null;
      if (obj !== null && typeof obj === 'object' && typeof obj.kind === 'string' && obj.kind !== '') {
        objects.push(obj);
      }
    }
  }
  return objects;
}

export interface ChartRenderInput {
  release: IstioRelease;
  artifacts: IstioArtifacts;
  /** The merged spec (src/render/istio-operator-input.ts). */
  spec: ReadonlyJsonObject;
}

/** The name `k8s` settings look for: the gateway's own name, istiod's with its revision. */
function workloadName(instance: ComponentInstance, values: ReadonlyJsonObject): string | undefined {
  const workload = instance.component.workload;
  if (!workload) return undefined;
  if (instance.name !== undefined) return instance.name;
  const revision = getPath(values, 'revision');
  if (
    instance.component.key === 'pilot' &&
    typeof revision === 'string' &&
    revision !== '' &&
    revision !== defaultRevisionName
  ) {
    return `${workload.name}-${revision}`;
  }
  return workload.name;
}

interface ChartCall {
  component: IstioComponent;
  namespace: string;
  values: JsonObject;
  only: readonly string[] | undefined;
}

function renderChart(
  input: ChartRenderInput,
  { component, namespace, values, only }: ChartCall,
): KubeObject[] {
  // The release's render cache (src/artifacts/render-cache.ts): the same input renders the same objects.
  const key = JSON.stringify([component.chart, namespace, only ?? [], values]);
  const cache = input.artifacts.renderCache;
  const hit = cache.get(key);
  if (hit) return hit;
  let result;
  try {
    result = input.artifacts.chartEngine().render({
      chart: input.artifacts.chart(component.chart),
      values,
      release: { name: 'istio', namespace },
      capabilities: { kubeVersion: `v${input.release.minKubernetes}.0` },
      ...(only ? { only } : {}),
    });
  } catch (err) {
    if (err instanceof ChartRenderError) {
      throw new RenderError(`components.${component.key}`, `chart ${component.chart}: ${err.message}`);
    }
    throw err;
  }
  // Each document trimmed, as istioctl splits them: a block scalar that ends a document keeps no final newline.
  const objects = parseManifests(
    component.chart,
    result.templates.flatMap((t) => t.documents),
  );
  cache.set(key, objects);
  return objects;
}

/** Renders one instance's chart (or only the named templates of it) and applies its `k8s` settings. */
export function renderInstance(
  input: ChartRenderInput,
  instance: ComponentInstance,
  only?: readonly string[],
): RenderedComponent {
  const values = instanceValues(instance, tree(input.spec.values));
  const { component } = instance;
  const objects = renderChart(input, { component, namespace: instance.namespace, values, only });
  const name = workloadName(instance, values);
  const rendered: RenderedComponent = {
    name: component.name,
    ...(component.multi ? { instance: name ?? component.workload?.name ?? component.key } : {}),
    objects,
    ...(component.workload && name
      ? { workload: { ...component.workload, name, namespace: instance.namespace } }
      : {}),
  };
  const k8s = instance.spec.k8s;
  // A render of some templates only (revision tags) holds a part of the component's objects.
  return applyK8sSettings(rendered, isJsonObject(k8s) ? k8s : undefined, only === undefined);
}
