// Go's duration syntax, as metav1.Duration spells it in Kubernetes APIs and kubectl flags ("30s", "1m30s",
// "250ms", "2h"): one parser for the API's fields and the CLI's flags.
export const durationPattern = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

const whole = new RegExp(durationPattern);
const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when `text` is not a Go duration. */
export function goDurationMs(text: string): number | undefined {
  if (!whole.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(part)) total += Number(amount) * (unitMs[unit ?? ''] ?? 0);
  return total;
}
