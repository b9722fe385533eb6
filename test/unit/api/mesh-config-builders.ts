// Small builders for MeshConfig fixtures, so each test shows only the part of the spec it is about.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { ValidationContext } from '../../../src/api/index.ts';

export type Json = Record<string, unknown>;

export const context: ValidationContext = {
  profiles: ['ambient', 'default', 'demo', 'empty', 'minimal', 'openshift', 'preview', 'remote', 'stable'],
  versions: ['1.29.4', '1.30.8'],
};

/** A MeshConfig with the given spec (and, optionally, other top-level fields). */
export function mesh(spec: unknown = {}, top: Json = {}): Json {
  return { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig', metadata: { name: 'mesh' }, spec, ...top };
}

export function components(parts: Json): Json {
  return { components: parts };
}

/** A spec whose pilot component has the given k8s settings. */
export function pilotK8s(k8s: Json): Json {
  return components({ pilot: { k8s } });
}

export function gateway(name: string, fields: Json = {}): Json {
  return { name, enabled: true, ...fields };
}

/** A spec with ingress gateways of these names. */
export function ingress(...names: string[]): Json {
  return components({ ingressGateways: names.map((name) => gateway(name)) });
}

/** The spec of the realistic IstioOperator in testdata/, as a user would paste it. */
export function pastedIstioOperatorSpec(): Json {
  const file = new URL('testdata/istio-operator.yaml', import.meta.url);
  const iop = parse(readFileSync(file, 'utf8')) as { spec: Json };
  return iop.spec;
}
