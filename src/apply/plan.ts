// Objects grouped into phases and put in apply order. What the phases are is the renderer's business (each
// rendered object comes with its phase); this module only orders them and carries the gate. A gated phase must
// be ready before the next one starts (CRDs Established before anything uses them, istiod Available before its
// webhooks exist); the rest follow without blocking each other.
import type { KubeObject } from '../kube/index.ts';

/** Where an object goes in the apply order. */
export interface PhaseSpec {
  readonly name: string;
  /** Lower applies first. */
  readonly order: number;
  /** The next phase waits until every object here with a readiness notion is ready. */
  readonly gated: boolean;
}

export interface Phase {
  name: string;
  objects: KubeObject[];
  gated: boolean;
}

export interface PlannedObject {
  phase: PhaseSpec;
  object: KubeObject;
}

/** The objects grouped in apply order; empty phases are left out. Within a phase the given order is kept. */
export function planPhases(objects: readonly PlannedObject[]): Phase[] {
  const phases = new Map<string, PhaseSpec>();
  for (const { phase } of objects) phases.set(phase.name, phase);
  return [...phases.values()]
    .sort((a, b) => a.order - b.order)
    .map(({ name, gated }) => ({
      name,
      objects: objects.filter((p) => p.phase.name === name).map((p) => p.object),
      gated,
    }));
}
