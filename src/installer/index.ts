// src/installer: the objects that install the operator itself (namespace, CRD, RBAC, Deployment).
export { configFiles } from './config-files.ts';
export {
  escalateRole,
  escalateVerb,
  policyName,
  restrictedSpecPaths,
  pathText,
} from './meshconfig-policy.ts';
export { healthPort, operatorDeployment } from './operator-deployment.ts';
export {
  operatorClusterRules,
  operatorLeaseName,
  operatorLeaseRules,
  operatorRbac,
  workloadRestartRules,
} from './operator-rbac.ts';
export { defaultOperatorImage, installerObjectsLeftOut, operatorUid, renderInstaller } from './installer.ts';
export type { InstallerOptions } from './installer.ts';
