// The path language of IstioOperator overlays and `--set`:
//   a.b.c              map keys, separated by dots
//   a.[0].b  a[0].b    list index; an index past the end (or -1) appends
//   a.[name:x].b       the first list element that is a map whose field `name` equals "x"
//   a.[:x]  a.[x]      the first scalar list element equal to "x"
// A backslash escapes the next character, so keys that contain dots can be named (`podAnnotations.a\.io/b`).
// Unlike istioctl, a dot inside brackets does not split the path, and scalar selectors compare for equality
// instead of matching a regular expression: a selector should pick one known element, not a pattern.
import { PathError } from './path-error.ts';

export const SegmentKind = {
  Key: 'key',
  Index: 'index',
  Match: 'match',
  Value: 'value',
} as const;
export type SegmentKind = (typeof SegmentKind)[keyof typeof SegmentKind];

/** Index value meaning "one past the end": istioctl's insert index. */
export const appendIndex = -1;

export type PathSegment =
  | { readonly kind: typeof SegmentKind.Key; readonly text: string; readonly key: string }
  | { readonly kind: typeof SegmentKind.Index; readonly text: string; readonly index: number }
  | {
      readonly kind: typeof SegmentKind.Match;
      readonly text: string;
      readonly field: string;
      readonly value: string;
    }
  | { readonly kind: typeof SegmentKind.Value; readonly text: string; readonly value: string };

/** The segments of `path`; throws PathError naming the piece that is not well formed. */
export function parsePath(path: string): PathSegment[] {
  if (path.trim() === '') throw new PathError(path, '', 'the path is empty');
  return splitPieces(path).flatMap((piece) => parsePiece(piece, path));
}

/** Splits on dots that are neither escaped nor inside brackets; escapes are kept for the next step. */
function splitPieces(path: string): string[] {
  const pieces: string[] = [];
  let current = '';
  let inBracket = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path.charAt(i);
    if (ch === '\\') {
      if (i === path.length - 1) throw new PathError(path, current + ch, 'ends with a lone backslash');
      current += path.slice(i, i + 2);
      i++;
    } else if (ch === '.' && !inBracket) {
      pieces.push(current);
      current = '';
    } else {
      inBracket = ch === '[' || (inBracket && ch !== ']');
      current += ch;
    }
  }
  pieces.push(current);
  return pieces;
}

function parsePiece(piece: string, path: string): PathSegment[] {
  if (piece === '')
    throw new PathError(path, piece, 'empty segment (two dots in a row, or a leading or trailing dot)');
  const open = indexOfUnescaped(piece, '[');
  const name = open === -1 ? piece : piece.slice(0, open);
  if (indexOfUnescaped(name, ']') !== -1) throw new PathError(path, piece, '"]" without a matching "["');
  const segments: PathSegment[] =
    name === '' ? [] : [{ kind: SegmentKind.Key, text: name, key: unescape(name) }];
  let rest = open === -1 ? '' : piece.slice(open);
  while (rest !== '') {
    const close = indexOfUnescaped(rest, ']');
    if (!rest.startsWith('[')) throw new PathError(path, piece, `unexpected "${rest}" after "]"`);
    if (close === -1) throw new PathError(path, piece, 'missing "]"');
    segments.push(parseBracket(rest.slice(0, close + 1), path));
    rest = rest.slice(close + 1);
  }
  return segments;
}

/** One `[...]` selector: an index, a `field:value` match, or a `:value` / `value` scalar match. */
function parseBracket(text: string, path: string): PathSegment {
  const inner = text.slice(1, -1);
  if (inner === '') throw new PathError(path, text, 'empty brackets');
  if (indexOfUnescaped(inner, '[') !== -1) throw new PathError(path, text, 'nested "["');
  if (/^-?\d+$/.test(inner)) return indexSegment(text, Number(inner), path);
  const colon = indexOfUnescaped(inner, ':');
  if (colon === -1) return { kind: SegmentKind.Value, text, value: unescape(inner) };
  const field = unescape(inner.slice(0, colon));
  const value = unescape(inner.slice(colon + 1));
  if (value === '') throw new PathError(path, text, 'a selector needs a value after ":"');
  if (field === '') return { kind: SegmentKind.Value, text, value };
  return { kind: SegmentKind.Match, text, field, value };
}

function indexSegment(text: string, index: number, path: string): PathSegment {
  if (index < appendIndex) throw new PathError(path, text, 'a list index cannot be negative (-1 appends)');
  return { kind: SegmentKind.Index, text, index };
}

function indexOfUnescaped(text: string, ch: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '\\') i++;
    else if (c === ch) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/gs, '$1');
}
