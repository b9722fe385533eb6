// Which components a (layered) spec turns on, by Istio's rule: a component missing from spec.components keeps its
// default (base and pilot on, cni and ztunnel off); one that is present is on unless `enabled: false`. Gateways
// are on per list entry, under their own name.
import { isJsonArray, isJsonObject } from '../tree/index.ts';
import type { ReadonlyJsonObject, ReadonlyJsonValue } from '../tree/index.ts';

export const ComponentKey = {
  Base: 'base',
  Pilot: 'pilot',
  Cni: 'cni',
  Ztunnel: 'ztunnel',
  IngressGateways: 'ingressGateways',
  EgressGateways: 'egressGateways',
} as const;
export type ComponentKey = (typeof ComponentKey)[keyof typeof ComponentKey];

export interface EnabledComponent {
  readonly key: ComponentKey;
  /** The gateway's name; for the others the component key. */
  readonly name: string;
  /** Only when the spec sets one; otherwise the control-plane namespace. */
  readonly namespace?: string;
}

const singleComponents = [
  { key: ComponentKey.Base, enabledByDefault: true },
  { key: ComponentKey.Pilot, enabledByDefault: true },
  { key: ComponentKey.Cni, enabledByDefault: false },
  { key: ComponentKey.Ztunnel, enabledByDefault: false },
] as const;
const gatewayLists = [ComponentKey.IngressGateways, ComponentKey.EgressGateways] as const;

/** The enabled components of `spec`, in Istio's render order (base, pilot, cni, ztunnel, gateways). */
export function enabledComponents(spec: ReadonlyJsonObject): EnabledComponent[] {
  const components = isJsonObject(spec.components) ? spec.components : {};
  return [
    ...singleComponents.flatMap(({ key, enabledByDefault }) => {
      const component = components[key];
      const enabled = component === undefined || component === null ? enabledByDefault : isOn(component);
      return enabled ? [withNamespace({ key, name: key }, component)] : [];
    }),
    ...gatewayLists.flatMap((key) => enabledGateways(key, components[key])),
  ];
}

function enabledGateways(key: ComponentKey, list: ReadonlyJsonValue | undefined): EnabledComponent[] {
  return (isJsonArray(list) ? list : []).flatMap((gateway) =>
    isOn(gateway) && isJsonObject(gateway) && typeof gateway.name === 'string'
      ? [withNamespace({ key, name: gateway.name }, gateway)]
      : [],
  );
}

function isOn(component: ReadonlyJsonValue): boolean {
  return !isJsonObject(component) || component.enabled !== false;
}

function withNamespace(component: EnabledComponent, spec: ReadonlyJsonValue | undefined): EnabledComponent {
  const namespace = isJsonObject(spec) ? spec.namespace : undefined;
  return typeof namespace === 'string' && namespace !== '' ? { ...component, namespace } : component;
}
