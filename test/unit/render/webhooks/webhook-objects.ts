// Typed reads of rendered webhook configurations and a small label-selector evaluator, so tests state which
// webhook claims which pod instead of digging through objects.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/kube/index.ts';
import type { RenderContext } from '../../../../src/render/context.ts';
import { applySetFlags } from '../../../../src/tree/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';

export interface Expression {
  key: string;
  operator: string;
  values?: string[];
}

export interface Selector {
  matchExpressions: Expression[];
}

export interface ClientConfig {
  url?: string;
  service?: { name: string; namespace: string; path: string; port?: number };
  caBundle?: string;
}

export interface Webhook {
  name: string;
  clientConfig: ClientConfig;
  rules: { operations: string[]; apiGroups: string[]; apiVersions: string[]; resources: string[] }[];
  failurePolicy: string;
  sideEffects: string;
  admissionReviewVersions: string[];
  reinvocationPolicy?: string;
  namespaceSelector?: Selector;
  objectSelector?: Selector;
}

/** The context for a MeshConfig spec given as istioctl `--set` flags, e.g. `revision=canary`. */
export function contextWith(...flags: string[]): RenderContext {
  return contextFor(applySetFlags({}, flags));
}

export function webhooks(config: KubeObject): Webhook[] {
  return config.webhooks as Webhook[];
}

export function webhookNames(config: KubeObject): string[] {
  return webhooks(config).map((w) => w.name);
}

export function webhook(config: KubeObject, name: string): Webhook {
  const found = webhooks(config).find((w) => w.name === name);
  assert.ok(found, `${config.metadata.name ?? ''} has webhook ${name}`);
  return found;
}

/** A selector as compact strings, e.g. `istio.io/rev In default`, `istio-injection DoesNotExist`. */
export function expressions(selector: Selector | undefined): string[] {
  return (selector?.matchExpressions ?? []).map((e) =>
    [e.key, e.operator, ...(e.values ?? [])].join(' ').trim(),
  );
}

export type Labels = Record<string, string>;

function matchesExpression(labels: Labels, e: Expression): boolean {
  const value = labels[e.key];
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      throw new Error(`unknown operator ${e.operator}`);
  }
}

/** What the API server does: every expression of the selector must hold (a missing selector matches all). */
export function selects(selector: Selector | undefined, labels: Labels): boolean {
  return (selector?.matchExpressions ?? []).every((e) => matchesExpression(labels, e));
}

/** `<config>/<webhook>` for each webhook of `configs` that the API server would call for this pod. */
export function matchingWebhooks(configs: KubeObject[], namespace: Labels, pod: Labels): string[] {
  return configs.flatMap((config) =>
    webhooks(config)
      .filter((w) => selects(w.namespaceSelector, namespace) && selects(w.objectSelector, pod))
      .map((w) => `${config.metadata.name ?? ''}/${w.name}`),
  );
}

export function labelsOf(object: KubeObject): Labels {
  return object.metadata.labels ?? {};
}

/** The single webhook of a configuration that has exactly one. */
export function onlyWebhook(config: KubeObject): Webhook {
  const all = webhooks(config);
  assert.equal(all.length, 1, `${config.metadata.name ?? ''} has one webhook`);
  return all[0]!;
}
