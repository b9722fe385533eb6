// src/installer: the objects that install the operator itself (namespace, CRD, RBAC, Deployment).
export { configFiles } from './config-files.ts';
export { healthPort, operatorDeployment } from './operator-deployment.ts';
export {
  operatorClusterRules,
  operatorLeaseName,
  operatorLeaseRules,
  operatorRbac,
} from './operator-rbac.ts';
export { defaultOperatorImage, operatorUid, renderInstaller } from './installer.ts';
export type { InstallerOptions } from './installer.ts';
