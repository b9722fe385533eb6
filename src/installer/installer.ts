// `make build-installer` and `meshop operator init` apply the same objects: the operator's namespace, the
// MeshConfig CRD, its identity and permissions, and its Deployment.
import { meshConfigCrd } from '../api/index.ts';
import type { KubeObject } from '../objects/index.ts';
import { describeRef, refOf } from '../objects/index.ts';
import { meshConfigPolicy } from './meshconfig-policy.ts';
import { operatorDeployment } from './operator-deployment.ts';
import { operatorRbac } from './operator-rbac.ts';

export const defaultOperatorImage = 'ghcr.io/meshop/meshop-operator:0.1.0';
export const operatorUid = 65532;

export interface InstallerOptions {
  namespace?: string | undefined;
  image?: string | undefined;
  /** Registries rendered pods may pull from; the operator's defaults when unset. */
  allowedImageRegistries?: readonly string[] | undefined;
  /** Operator replicas (1 unless given); one leads, the others wait on the Lease to take over at once. */
  replicas?: number | undefined;
  /** Whether the operator may restart users' workloads onto a new revision (and holds the rights to); default yes. */
  workloadRestarts?: boolean | undefined;
  /** Whether MeshConfigs may grant pods more than the release renders (the operator's flag); default no. */
  podPrivilegesFromSpec?: boolean | undefined;
  /**
   * Whether the ValidatingAdmissionPolicy that keeps MeshConfig's far-reaching fields to holders of the `escalate`
   * verb is installed (meshconfig-policy.ts); default yes.
   */
  meshConfigPolicy?: boolean | undefined;
}

// The operator's namespace admits only pods that meet the `restricted` Pod Security Standard (the operator's own
// does); `latest` follows the cluster's version of the standard.
const podSecurity = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};

/**
 * With standbys, a node drain may take one operator pod at a time, never all: the lease passes to a standby. One
 * unavailable at most (not "one available at least") so a budget left behind after scaling down to one replica
 * never blocks a drain.
 */
function disruptionBudget(namespace: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'meshop-operator', namespace, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
}

export function renderInstaller(options: InstallerOptions = {}): KubeObject[] {
  const namespace = options.namespace ?? 'meshop-system';
  const serviceAccount = 'meshop-operator';
  // One label on everything, so `-l app.kubernetes.io/name=meshop-operator` finds the operator. The Namespace
  // needs it besides: applied with only a name, it has no managedFields (the label and finalizer the API server
  // adds belong to nobody), so the next apply records them under `before-first-apply`, a write, and a GitOps
  // re-apply would not be a no-op (test/integration/gitops.test.ts).
  const labels = { 'app.kubernetes.io/name': 'meshop-operator' };
  const replicas = options.replicas ?? 1;
  const workloadRestarts = options.workloadRestarts ?? true;
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...labels, ...podSecurity } },
    },
    meshConfigCrd() as unknown as KubeObject,
    // Right after the CRD: no MeshConfig is written before the policy that bounds it is in place.
    ...(options.meshConfigPolicy === false ? [] : meshConfigPolicy(labels)),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace, labels } },
    ...operatorRbac(namespace, serviceAccount, { workloadRestarts }),
    operatorDeployment({
      namespace,
      serviceAccount,
      image: options.image ?? defaultOperatorImage,
      uid: operatorUid,
      allowedImageRegistries: options.allowedImageRegistries,
      podPrivilegesFromSpec: options.podPrivilegesFromSpec,
      replicas,
      workloadRestarts,
    }),
    ...(replicas > 1 ? [disruptionBudget(namespace, labels)] : []),
  ];
}

/**
 * Objects an installer with these options leaves out but another would render (the restart role, the disruption
 * budget, the MeshConfig policy): re-running `operator init` with fewer of them deletes what an earlier run applied.
 */
export function installerObjectsLeftOut(options: InstallerOptions = {}): KubeObject[] {
  const rendered = new Set(renderInstaller(options).map(identity));
  return renderInstaller({ ...options, replicas: 2, workloadRestarts: true, meshConfigPolicy: true }).filter(
    (o) => !rendered.has(identity(o)),
  );
}

const identity = (o: KubeObject): string => describeRef(refOf(o));
