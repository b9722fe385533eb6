// Least privilege, proven both ways from the audit log: every request the operator's ServiceAccount made was
// allowed and is covered by the installer's roles (nothing leans on another binding), and every right of those
// roles was used, or is listed in docs/security.md with the reason it is held anyway.
import { readFileSync } from 'node:fs';
import type { KubeObject } from '../../src/kube/index.ts';
import type { AuditEvent } from './audit-log.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** One right: `patch apps/deployments`, `update meshop.dev/meshconfigs/finalizers`, and the wildcard `list` on every group and resource. */
export type Right = string;

const rightOf = (verb: string, group: string, resource: string): Right =>
  `${verb} ${group || 'core'}/${resource}`;

/** Every right the installer's ClusterRoles and Roles grant to the ServiceAccount `serviceAccount`. */
export function grantedRights(installer: readonly KubeObject[], serviceAccount: string): Set<Right> {
  const bound = new Set(
    installer
      .filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
      .map(
        (o) =>
          o as unknown as {
            roleRef: { kind: string; name: string };
            subjects: { kind: string; name: string }[];
          },
      )
      .filter((b) => b.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === serviceAccount))
      .map((b) => `${b.roleRef.kind}/${b.roleRef.name}`),
  );
  const rules = installer
    .filter((o) => bound.has(`${o.kind}/${o.metadata.name ?? ''}`))
    .flatMap((o) => (o as unknown as { rules: Rule[] }).rules);
  return new Set(
    rules.flatMap((r) =>
      r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => rightOf(v, g, res)))),
    ),
  );
}

/** The right a request used, or undefined for requests on no object (discovery, /version). */
export function rightUsed(e: AuditEvent): Right | undefined {
  const ref = e.objectRef;
  if (!ref?.resource) return undefined;
  const resource = ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource;
  return rightOf(e.verb, ref.apiGroup ?? '', resource);
}

/** Whether `granted` covers `used`, wildcards included. */
export function covers(granted: Right, used: Right): boolean {
  const [gVerb, gPath = ''] = granted.split(' ');
  const [uVerb, uPath = ''] = used.split(' ');
  if (gVerb !== uVerb && gVerb !== '*') return false;
  const [gGroup, ...gRes] = gPath.split('/');
  const [uGroup, ...uRes] = uPath.split('/');
  return (
    (gGroup === '*' || gGroup === uGroup) && (gRes.join('/') === '*' || gRes.join('/') === uRes.join('/'))
  );
}

/** `- \`verb group/resource\`: reason` lines under the heading "Rights the test run does not use". */
export function documentedUnused(securityDoc: string): Map<Right, string> {
  const section = securityDoc.split(/^## /m).find((s) => s.startsWith('Rights the test run does not use'));
  const listed = new Map<Right, string>();
  for (const m of (section ?? '').matchAll(/^- `([^`]+)`: (.+)$/gm)) listed.set(m[1] ?? '', m[2] ?? '');
  return listed;
}

/**
 * Listed by itself, by its verb alone (`create *`: a reason that holds for every kind), or by its kind alone
 * (`* apps/daemonsets`: a kind the scenario does not render).
 */
function isDocumented(documented: Map<Right, string>, right: Right): boolean {
  const [verb = '', path = ''] = right.split(' ');
  return documented.has(right) || documented.has(`${verb} *`) || documented.has(`* ${path}`);
}

export interface RbacVerdict {
  /** Requests the API server refused (403). */
  refused: string[];
  /** Requests no right of the installer's roles covers (allowed only through some other binding). */
  uncovered: string[];
  /** Rights used in the run. */
  used: Set<Right>;
  /** Rights granted, never used, and not documented with a reason. */
  unusedUndocumented: Right[];
  /** Documented rights the roles do not grant (a stale list). */
  documentedNotGranted: Right[];
}

export function rbacVerdict(
  events: readonly AuditEvent[],
  installer: readonly KubeObject[],
  serviceAccount: string,
  docPath: string,
): RbacVerdict {
  const granted = grantedRights(installer, serviceAccount);
  const used = new Set<Right>();
  const refused: string[] = [];
  const uncovered: string[] = [];
  for (const e of events) {
    const right = rightUsed(e);
    if (e.responseStatus?.code === 403) refused.push(`${e.verb} ${e.requestURI}`);
    if (right === undefined) continue;
    used.add(right);
    if (![...granted].some((g) => covers(g, right))) uncovered.push(`${right} (${e.requestURI})`);
  }
  const documented = documentedUnused(readFileSync(docPath, 'utf8'));
  // A wildcard right counts as used by any request it alone covers.
  const isUsed = (g: Right): boolean =>
    [...used].some(
      (u) =>
        covers(g, u) &&
        (g.includes('*') ? ![...granted].some((o) => o !== g && !o.includes('*') && covers(o, u)) : true),
    );
  return {
    refused: [...new Set(refused)],
    uncovered: [...new Set(uncovered)],
    used,
    unusedUndocumented: [...granted].filter((g) => !isUsed(g) && !isDocumented(documented, g)).sort(),
    documentedNotGranted: [...documented.keys()]
      .filter((d) => ![...granted].some((g) => isDocumented(new Map([[d, '']]), g)))
      .sort(),
  };
}
