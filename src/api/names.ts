// Naming rules shared by the CRD (as CEL) and the offline validator (as TypeScript), written once here so the
// two always state the same rule in the same words.
import type { Invariant } from './schema/index.ts';
import { childPath, validationError } from './schema/index.ts';

/** DNS-1123 label: what Kubernetes requires of namespaces and label-like names, and Istio of revisions. */
export const dnsLabelPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const dnsLabelMaxLength = 63;
const dnsLabelRegExp = new RegExp(dnsLabelPattern);
const dnsLabelMessage =
  `must be a DNS-1123 label: at most ${dnsLabelMaxLength} lowercase letters, digits or '-', ` +
  'starting and ending with a letter or digit';

export function isDnsLabel(value: string): boolean {
  return value.length <= dnsLabelMaxLength && dnsLabelRegExp.test(value);
}

/** A string field that must be a DNS-1123 label. Pair it with `maxLength: dnsLabelMaxLength` (CEL cost). */
export const dnsLabel: Invariant<string> = {
  rule: `self.matches('${dnsLabelPattern}')`,
  message: dnsLabelMessage,
  check: (value, path) =>
    isDnsLabel(value) ? [] : [validationError(path, `${dnsLabelMessage}, not "${value}"`)],
};

/** Map keys that must be DNS-1123 labels (revision tag names). */
export const dnsLabelKeys: Invariant<Record<string, unknown>> = {
  rule: `self.all(k, k.matches('${dnsLabelPattern}'))`,
  message: `keys ${dnsLabelMessage}`,
  check: (value, path) =>
    Object.keys(value)
      .filter((key) => !isDnsLabel(key))
      .map((key) => validationError(childPath(path, key), `key ${dnsLabelMessage}, not "${key}"`)),
};

// Docker's tag grammar. Offline only: `tag` may be a number (Istio accepts `tag: 1`), which CEL would have to
// special-case for little gain.
const imageTagRegExp = /^\w[\w.-]{0,127}$/;
const imageTagMessage =
  'must be an image tag: up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"';

export const imageTag: Invariant<number | string> = {
  message: imageTagMessage,
  check: (value, path) =>
    imageTagRegExp.test(String(value))
      ? []
      : [validationError(path, `${imageTagMessage}, not "${String(value)}"`)],
};
