// Small builders for profile tests: specs that name a profile, and readers for the parts tests look at.
import { enabledComponents, layerSpec } from '../../../src/profiles/index.ts';
import { getPath } from '../../../src/tree/index.ts';
import type { JsonObject, ReadonlyJsonValue } from '../../../src/tree/index.ts';

export function withProfile(profile: string, rest: JsonObject = {}): JsonObject {
  return { profile, ...rest };
}

/** The spec `profile` resolves to when the user sets nothing else. */
export function resolved(profile: string): JsonObject {
  return layerSpec(withProfile(profile));
}

/** Enabled components as `name` or `name@namespace`, the form the expectations below are written in. */
export function componentNames(spec: JsonObject): string[] {
  return enabledComponents(spec).map((c) =>
    c.namespace === undefined ? c.name : `${c.name}@${c.namespace}`,
  );
}

export function at(spec: ReadonlyJsonValue, path: string): ReadonlyJsonValue | undefined {
  return getPath(spec, path);
}
