// The ValidatingAdmissionPolicy the installer ships for MeshConfigs. Write access to a MeshConfig is write access
// to the mesh, but some fields reach further: Helm values and overlays shape the pods of istiod, the gateways and
// the privileged CNI DaemonSet; hub and tag pick the images they run; the adoption annotation lets the operator
// take over objects it did not create; restartWorkloads restarts users' workloads; teardown can delete Istio's
// CRDs and with them every Istio resource in the cluster. Setting or changing any of those needs the custom verb
// `escalate` on the MeshConfig, as Kubernetes' own `escalate` guards Roles that grant more than their writer holds:
// cluster-admin has it through its wildcard, a team granted only create/update/patch does not, and the ClusterRole
// below grants it on purpose. The fields are found in the CRD's own schema, so a new component is covered without
// an edit here, and the API server type-checks every expression against that schema.
import { MeshConfigGroup, MeshConfigNames, adoptExistingAnnotation, meshConfigCrd } from '../api/index.ts';
import type { KubeObject } from '../objects/index.ts';

export const policyName = 'meshop-meshconfig-restricted-fields';
/** The ClusterRole that grants the verb; bind it to whoever may set the restricted fields. */
export const escalateRole = 'meshop-meshconfig-escalate';
export const escalateVerb = 'escalate';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** A step into the object: a field, or every element of a list. */
type Step = { field: string } | { each: true };

/** Restricted wherever they appear: the image a component runs. */
const imageFields = new Set(['hub', 'tag']);
/** Restricted inside a `k8s` block: what patches a rendered object or loosens its pod's security context. */
const k8sFields = new Set(['overlays', 'securityContext']);
/** Restricted at these paths of spec. */
const specFields = ['values', 'unvalidatedValues', 'updateStrategy.restartWorkloads', 'teardown'];

function restrictedUnder(node: SchemaNode, at: Step[], parent: string): Step[][] {
  if (node.items) return restrictedUnder(node.items, [...at, { each: true }], parent);
  return Object.entries(node.properties ?? {}).flatMap(([field, child]) => {
    const path = [...at, { field }];
    if (imageFields.has(field) || (parent === 'k8s' && k8sFields.has(field))) return [path];
    return restrictedUnder(child, path, field);
  });
}

/** Every restricted path of spec, from the CRD's schema; `each` steps are list elements. */
export function restrictedSpecPaths(): Step[][] {
  const crd = meshConfigCrd() as unknown as {
    spec: { versions: { schema: { openAPIV3Schema: SchemaNode } }[] };
  };
  const spec = crd.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec ?? {};
  const fixed = specFields.map((p) => p.split('.').map((field) => ({ field })));
  const found = restrictedUnder(spec, [], 'spec').filter(
    (path) => !fixed.some((f) => f.every((step, i) => 'field' in step && sameStep(step, path[i]))),
  );
  return [...fixed, ...found];
}

const sameStep = (a: Step, b: Step | undefined): boolean =>
  b !== undefined && ('each' in a ? 'each' in b : 'field' in b && a.field === b.field);

/** `spec.components.ingressGateways[*].k8s.overlays`, as the messages name it. */
export function pathText(path: readonly Step[]): string {
  return ['spec', ...path.map((s) => ('each' in s ? '[*]' : s.field))].join('.').replaceAll('.[*]', '[*]');
}

/**
 * A CEL list of what is set at `path` under `root`: `[value]` when set, `[]` when not; equal lists mean the field
 * was neither set nor changed. Through a list (the gateways) it is the values of the elements that set the field,
 * in order, so adding or removing a gateway that does not set it changes nothing, while setting, changing or
 * reordering values does. `has()` guards every step, so nothing fails on an absent field, and the API server
 * checks each name against the CRD schema.
 */
function presentAt(root: string, path: readonly Step[]): string {
  const [step, ...rest] = path;
  if (step === undefined) return `[${root}]`;
  if ('each' in step) {
    const fields = rest.map((s) => ('field' in s ? s.field : ''));
    if (fields.includes('')) throw new Error(`lists within lists are not restricted: ${pathText(path)}`);
    const guard = fields.map((_, i) => `has(e.${fields.slice(0, i + 1).join('.')})`).join(' && ');
    return `${root}.filter(e, ${guard}).map(e, e.${fields.join('.')})`;
  }
  const next = `${root}.${step.field}`;
  return `(has(${next}) ? ${presentAt(next, rest)} : [])`;
}

const adoptionPresent = (root: string): string =>
  `(has(${root}.metadata.annotations) && '${adoptExistingAnnotation}' in ${root}.metadata.annotations ? ` +
  `[${root}.metadata.annotations['${adoptExistingAnnotation}']] : [])`;

const unchanged = (present: (root: string) => string): string =>
  `${present('object')} == (oldObject == null ? [] : ${present('oldObject')})`;

function validation(field: string, sameAsBefore: string): Record<string, string> {
  return {
    expression: `${sameAsBefore} || variables.mayEscalate`,
    message:
      `${field}: setting or changing it needs the verb "${escalateVerb}" on meshconfigs.${MeshConfigGroup} ` +
      `(ClusterRole ${escalateRole}); it shapes the mesh's pods, images or what the operator may delete`,
    reason: 'Forbidden',
  };
}

export function meshConfigPolicy(labels: Record<string, string>): KubeObject[] {
  const validations = [
    ...restrictedSpecPaths().map((path) =>
      validation(
        pathText(path),
        unchanged((root) => presentAt(root, [{ field: 'spec' }, ...path])),
      ),
    ),
    validation(`metadata.annotations['${adoptExistingAnnotation}']`, unchanged(adoptionPresent)),
  ];
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: policyName, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [MeshConfigGroup],
              apiVersions: ['*'],
              operations: ['CREATE', 'UPDATE'],
              resources: [MeshConfigNames.plural],
            },
          ],
        },
        variables: [
          {
            // Asked only when a restricted field changed: the validations test that first.
            name: 'mayEscalate',
            expression:
              `authorizer.group('${MeshConfigGroup}').resource('${MeshConfigNames.plural}')` +
              `.name(object.metadata.name).check('${escalateVerb}').allowed()`,
          },
        ],
        validations,
      },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: policyName, labels },
      spec: { policyName, validationActions: ['Deny'] },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: escalateRole, labels },
      rules: [{ apiGroups: [MeshConfigGroup], resources: [MeshConfigNames.plural], verbs: [escalateVerb] }],
    },
  ];
}
