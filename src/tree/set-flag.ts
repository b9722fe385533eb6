// `--set path=value`, with istioctl's meaning: the path is relative to the spec and a missing node on the way is
// created; the value, always a string on the command line, is typed by its text.
//
// Value rules, in order:
//   1. Paths whose value is a name or a version stay strings: a last key `tag`, `compatibilityVersion`,
//      `version`, `revision` or `defaultRevision`, and anything under `proxyMetadata` or `revisionTags`
//      (`--set tag=1.30` is "1.30", not 1.3). istioctl keeps only spec.tag, values.global.tag,
//      compatibilityVersion and proxyMetadata as strings; meshop extends the rule to every image tag and to its
//      own version and revision fields, where a number is never what was meant.
//   2. `null` is JSON null. Layering then removes the key from the profile (istioctl keeps the string "null").
//   3. A decimal number (`2`, `-1.5`, `1e3`) is a number.
//   4. Go's boolean spellings (`true`, `True`, `TRUE`, `t`, `T`, and their false twins) are booleans.
//   5. A value wrapped in `[...]` or `{...}` is a YAML flow collection (`[a,b]`, `{cpu: 10m}`, JSON too); its
//      items follow YAML's core schema. istioctl has no such form; it lets a whole list be set in one flag.
//      Write `{a: 1}` with a space: YAML reads `{a:1}` as the key "a:1", which is refused.
//   6. Anything else is a string, with istioctl's `\,` unescaped to `,`.
import { parse } from 'yaml';
import { cloneJsonObject } from './json.ts';
import type { JsonObject, JsonValue, ReadonlyJsonObject } from './json.ts';
import { PathError } from './path-error.ts';
import { setPath } from './path-ops.ts';
import { SegmentKind, parsePath } from './path-syntax.ts';
import type { PathSegment } from './path-syntax.ts';

export interface SetFlag {
  /** Path under `spec`, as written. */
  readonly path: string;
  readonly value: JsonValue;
}

export class SetFlagError extends Error {
  override readonly name = 'SetFlagError';
  readonly flag: string;

  constructor(flag: string, reason: string, options?: ErrorOptions) {
    super(`--set ${flag}: ${reason}`, options);
    this.flag = flag;
  }
}

const stringLeafKeys: ReadonlySet<string> = new Set([
  'tag',
  'compatibilityVersion',
  'version',
  'revision',
  'defaultRevision',
]);
const stringSubtreeKeys: ReadonlySet<string> = new Set(['proxyMetadata', 'revisionTags']);
const trueWords: ReadonlySet<string> = new Set(['true', 'True', 'TRUE', 't', 'T']);
const falseWords: ReadonlySet<string> = new Set(['false', 'False', 'FALSE', 'f', 'F']);
const decimalNumber = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Splits `path=value` at the first `=` and types the value; throws SetFlagError or PathError. */
export function parseSetFlag(flag: string): SetFlag {
  const at = flag.indexOf('=');
  if (at === -1) throw new SetFlagError(flag, 'expected path=value');
  const path = flag.slice(0, at).trim();
  const raw = flag.slice(at + 1).trim();
  const segments = parsePath(path);
  return { path, value: keepsString(segments) ? raw : typedValue(raw, flag) };
}

/** `spec` with every flag applied in order (a later flag wins); `spec` itself is not changed. */
export function applySetFlags(spec: ReadonlyJsonObject, flags: readonly string[]): JsonObject {
  let result = cloneJsonObject(spec);
  for (const flag of flags) {
    const { path, value } = parseSetFlag(flag);
    try {
      result = setPath(result, path, value, { createMissing: true });
    } catch (err) {
      if (err instanceof PathError) throw new SetFlagError(flag, err.message, { cause: err });
      throw err;
    }
  }
  return result;
}

function keepsString(segments: readonly PathSegment[]): boolean {
  const keys = segments.flatMap((s) => (s.kind === SegmentKind.Key ? [s.key] : []));
  const last = segments.at(-1);
  if (last?.kind === SegmentKind.Key && stringLeafKeys.has(last.key)) return true;
  return keys.slice(0, -1).some((key) => stringSubtreeKeys.has(key));
}

function typedValue(raw: string, flag: string): JsonValue {
  if (raw === 'null') return null;
  if (decimalNumber.test(raw) && Number.isFinite(Number(raw))) return Number(raw);
  if (trueWords.has(raw)) return true;
  if (falseWords.has(raw)) return false;
  if (/^\[.*\]$|^\{.*\}$/s.test(raw)) return flowCollection(raw, flag);
  return raw.replaceAll('\\,', ',');
}

function flowCollection(raw: string, flag: string): JsonValue {
  let parsed: unknown;
  try {
    parsed = parse(raw, { schema: 'core', uniqueKeys: true });
  } catch (err) {
    throw new SetFlagError(flag, 'the value is not a valid YAML flow list or map', { cause: err });
  }
  return asJson(parsed, flag);
}

function asJson(value: unknown, flag: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => asJson(item, flag));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]: [string, unknown]) => [k, asJsonEntry(k, v, flag)]),
    );
  }
  throw new SetFlagError(
    flag,
    `the value holds a ${typeof value} that JSON cannot carry (e.g. .inf or .nan)`,
  );
}

function asJsonEntry(key: string, value: unknown, flag: string): JsonValue {
  // `{cpu:10m}` is YAML for the key "cpu:10m" with no value, never what a user meant.
  if (value === null && key.includes(':')) {
    throw new SetFlagError(flag, `"${key}" reads as a key without a value; write "key: value" with a space`);
  }
  return asJson(value, flag);
}
