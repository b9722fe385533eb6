// src/revisions: pure decisions about control-plane revisions (names, what uses them, version skew, restart
// batches, which workload a pod moves with). The reconciler in src/reconcile feeds them what it read from the cluster.
export {
  controlPlaneOf,
  defaultIstioNamespace,
  defaultRevisionName,
  desiredRevision,
  revisionNameFor,
  tagClashesWithRevision,
  versionOf,
} from './naming.ts';
export type { ControlPlane } from './naming.ts';
export { parseMinor, versionSkewProblem } from './version-skew.ts';
export type { MinorVersion } from './version-skew.ts';
export { IstioAnnotation, IstioLabel } from '../objects/index.ts';
export { injectedPodSelector, podProxyRevision } from './pod-proxy-revision.ts';
export {
  describeUsage,
  injectionEnabledRevision,
  isUsed,
  namespaceRevision,
  proxyValuesFor,
  resolveRevision,
  usageOf,
} from './in-use.ts';
export type { Usage, UsageInput } from './in-use.ts';
export { planRetention } from './retention.ts';
export type { ObservedRevision, RetentionInput, RetentionPlan } from './retention.ts';
export {
  clockMinutes,
  decideRestarts,
  parseDuration,
  restartSettingsOf,
  untilWindowOpens,
} from './restart-plan.ts';
export type { MigratingWorkload, RestartDecision, RestartInput, RestartSettings } from './restart-plan.ts';
export { RestartableKind, controllerOf, describeWorkload, podMove, replicaSetsOf } from './workload-moves.ts';
export type { OwnerRef, PodMove, ReplicaSetOwners, WorkloadRef } from './workload-moves.ts';
