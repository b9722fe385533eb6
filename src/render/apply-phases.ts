// When each rendered object is applied, as data the apply layer reads (src/apply/plan.ts keeps no component
// names): CRDs first and Established before anything uses them; the control plane (base and istiod) Available
// before its webhooks exist, since an injector webhook with nothing behind it would block every pod creation in
// the cluster; then gateways and node agents, then addons, neither blocking the other.
import type { KubeObject } from '../objects/index.ts';
import { ComponentName } from './component.ts';
import type { RenderedComponent } from './component.ts';

export interface ApplyPhase {
  readonly name: string;
  readonly order: number;
  readonly gated: boolean;
}

export const ApplyPhases = {
  Definitions: { name: 'definitions', order: 0, gated: true },
  ControlPlane: { name: 'control-plane', order: 1, gated: true },
  Webhooks: { name: 'webhooks', order: 2, gated: false },
  DataPlane: { name: 'data-plane', order: 3, gated: false },
  Addons: { name: 'addons', order: 4, gated: false },
} as const satisfies Record<string, ApplyPhase>;

export const componentPhases: Readonly<Record<ComponentName, ApplyPhase>> = {
  [ComponentName.Base]: ApplyPhases.ControlPlane,
  [ComponentName.Pilot]: ApplyPhases.ControlPlane,
  [ComponentName.Webhooks]: ApplyPhases.Webhooks,
  [ComponentName.RevisionTags]: ApplyPhases.Webhooks,
  [ComponentName.IngressGateways]: ApplyPhases.DataPlane,
  [ComponentName.EgressGateways]: ApplyPhases.DataPlane,
  [ComponentName.Cni]: ApplyPhases.DataPlane,
  [ComponentName.Ztunnel]: ApplyPhases.DataPlane,
  [ComponentName.Prometheus]: ApplyPhases.Addons,
  [ComponentName.Grafana]: ApplyPhases.Addons,
  [ComponentName.Kiali]: ApplyPhases.Addons,
  [ComponentName.Jaeger]: ApplyPhases.Addons,
  [ComponentName.Zipkin]: ApplyPhases.Addons,
};

/** Every object of every component with its phase, components in render order. */
export function phasedObjects(
  components: readonly RenderedComponent[],
): { phase: ApplyPhase; object: KubeObject }[] {
  return components.flatMap((c) =>
    c.objects.map((object) => ({
      phase: object.kind === 'CustomResourceDefinition' ? ApplyPhases.Definitions : componentPhases[c.name],
      object,
    })),
  );
}
