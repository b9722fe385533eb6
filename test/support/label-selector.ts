// Evaluates a Kubernetes LabelSelector (matchLabels + matchExpressions) the way the API server does, so a test
// can ask which admission webhooks a namespace and pod would be sent to.
interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Requirement[];
}

const operators: Record<Requirement['operator'], (has: boolean, inValues: boolean) => boolean> = {
  In: (has, inValues) => has && inValues,
  NotIn: (has, inValues) => !has || !inValues,
  Exists: (has) => has,
  DoesNotExist: (has) => !has,
};

function meets(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  return operators[r.operator](has, has && (r.values ?? []).includes(labels[r.key] ?? ''));
}

/** An absent selector matches everything, as it does on a webhook. */
export function matches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every((r) => meets(r, labels));
}
