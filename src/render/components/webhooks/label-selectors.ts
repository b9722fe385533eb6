// Label selector expressions, and the label keys the injection webhooks select on. Istio decides which control
// plane injects a pod from these labels alone, so each key and value here is a fact other tools rely on.
export const InjectionLabel = {
  /** Namespace label: `enabled` sends the namespace to the default revision, `disabled` to none. */
  injection: 'istio-injection',
  /** Namespace or pod label naming a revision or revision tag. */
  revision: 'istio.io/rev',
  /** Pod label: `false` opts the pod out, `true` opts it in where nothing else selects it. */
  inject: 'sidecar.istio.io/inject',
  /** Set on every namespace by Kubernetes itself. */
  namespaceName: 'kubernetes.io/metadata.name',
} as const;

export interface MatchExpression {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchExpressions: MatchExpression[];
}

export const isIn = (key: string, ...values: string[]): MatchExpression => ({ key, operator: 'In', values });
export const notIn = (key: string, ...values: string[]): MatchExpression => ({
  key,
  operator: 'NotIn',
  values,
});
export const absent = (key: string): MatchExpression => ({ key, operator: 'DoesNotExist' });

export const selector = (...matchExpressions: MatchExpression[]): LabelSelector => ({ matchExpressions });
