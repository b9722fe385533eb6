// The string form of a label selector, as a list request's `labelSelector` carries it (`a=b,c!=d,e in (x,y),
// f notin (z),g,!h`), parsed and evaluated the way the API server does, so a list can be answered from a cache
// with the same result.

export type Requirement =
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | '!exists' };

/** The requirements of `selector`, one per comma-separated term (commas inside parentheses belong to a set). */
export function parseLabelQuery(selector: string): Requirement[] {
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return terms
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(parseTerm);
}

function parseTerm(term: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (set?.[1] !== undefined) {
    const values = (set[3] ?? '').split(',').map((v) => v.trim());
    return { key: set[1], op: set[2] === 'in' ? 'in' : 'notin', values };
  }
  const cmp = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp?.[1] !== undefined)
    return { key: cmp[1], op: cmp[2] === '!=' ? 'notin' : 'in', values: [cmp[3] ?? ''] };
  return existence(term);
}

function existence(term: string): Requirement {
  if (term.startsWith('!')) return { key: term.slice(1).trim(), op: '!exists' };
  if (/^\S+$/.test(term)) return { key: term, op: 'exists' };
  throw new Error(`unreadable label selector term "${term}"`);
}

function meets(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key] ?? '');
    case 'notin':
      return !has || !r.values.includes(labels[r.key] ?? '');
  }
}

/** Whether labels satisfy every requirement (an empty selector matches everything). */
export function matchesLabelQuery(
  requirements: readonly Requirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  return requirements.every((r) => meets(r, labels ?? {}));
}

const same = (a: Requirement, b: Requirement): boolean =>
  a.key === b.key &&
  a.op === b.op &&
  JSON.stringify('values' in a ? [...a.values].sort() : []) ===
    JSON.stringify('values' in b ? [...b.values].sort() : []);

/** Whether every object `narrow` selects is also selected by `wide`: here, when narrow repeats each term of wide. */
export function narrowerThan(narrow: readonly Requirement[], wide: readonly Requirement[]): boolean {
  return wide.every((w) => narrow.some((n) => same(n, w)));
}
