// src/apply: server-side apply with field manager `meshop` in phases with readiness gates, and prune.
export { ApplyAction, ClaimConflictError, applyObject, applyPhases, fieldManager } from './apply-engine.ts';
export type { ClaimCheck, ClaimDecision } from './apply-engine.ts';
export type { AppliedObject, ApplyRun } from './apply-engine.ts';
export { isConverged, isSubset, renderHash, renderHashAnnotation } from './converged.ts';
export { withLiveOwnedFields } from './live-owned-fields.ts';
export { planPhases } from './plan.ts';
export type { Phase, PhaseSpec, PlannedObject } from './plan.ts';
export { prune, pruneCandidates } from './prune.ts';
export type { PruneOptions } from './prune.ts';
export { hasReadiness, readinessOf } from './readiness.ts';
export type { Readiness } from './readiness.ts';
