// The order a mesh is applied in, as phases. A gated phase must be ready before the next one starts: CRDs
// Established before anything uses them, istiod Available before its webhooks exist (an injector webhook with
// nothing behind it would block every pod creation in the cluster). Gateways, node agents and addons follow
// without blocking each other; their readiness shows in status.
import type { KubeObject } from '../kube/index.ts';

export const PhaseName = {
  Definitions: 'definitions',
  ControlPlane: 'control-plane',
  Webhooks: 'webhooks',
  DataPlane: 'data-plane',
  Addons: 'addons',
} as const;
export type PhaseName = (typeof PhaseName)[keyof typeof PhaseName];

export interface Phase {
  name: PhaseName;
  objects: KubeObject[];
  /** The next phase waits until every object here with a readiness notion is ready. */
  gated: boolean;
}

export interface PlannedObject {
  component: string;
  object: KubeObject;
}

const componentPhase: Readonly<Record<string, PhaseName>> = {
  base: PhaseName.ControlPlane,
  pilot: PhaseName.ControlPlane,
  webhooks: PhaseName.Webhooks,
  revisionTags: PhaseName.Webhooks,
  ingressGateways: PhaseName.DataPlane,
  egressGateways: PhaseName.DataPlane,
  cni: PhaseName.DataPlane,
  ztunnel: PhaseName.DataPlane,
};

function phaseOf(planned: PlannedObject): PhaseName {
  if (planned.object.kind === 'CustomResourceDefinition') return PhaseName.Definitions;
  return componentPhase[planned.component] ?? PhaseName.Addons;
}

const gatedPhases: ReadonlySet<PhaseName> = new Set([PhaseName.Definitions, PhaseName.ControlPlane]);

/** The objects grouped in apply order; empty phases are left out. Within a phase the given order is kept. */
export function planPhases(objects: readonly PlannedObject[]): Phase[] {
  return Object.values(PhaseName)
    .map((name) => ({
      name,
      objects: objects.filter((p) => phaseOf(p) === name).map((p) => p.object),
      gated: gatedPhases.has(name),
    }))
    .filter((phase) => phase.objects.length > 0);
}
