// Small builders for IstioOperator fixtures, and the real catalog and profile names the CLI converts with.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { releases } from '../../../src/catalog/index.ts';
import type { ConvertContext } from '../../../src/convert/index.ts';
import { profileNames } from '../../../src/profiles/index.ts';

export type Json = Record<string, unknown>;

export const context: ConvertContext = { profiles: profileNames, releases };

/** An IstioOperator with this spec; `top` adds or replaces top-level fields (metadata, status). */
export function iop(spec: Json = {}, top: Json = {}): Json {
  return {
    apiVersion: 'install.istio.io/v1alpha1',
    kind: 'IstioOperator',
    metadata: { name: 'example', namespace: 'istio-system' },
    spec,
    ...top,
  };
}

/** A YAML file of this directory's testdata, or of the API tests' (the full production-style IstioOperator). */
export function testdata(name: string): Json {
  const dir = name === 'istio-operator.yaml' ? '../api/testdata/' : 'testdata/';
  return parse(readFileSync(new URL(dir + name, import.meta.url), 'utf8')) as Json;
}
