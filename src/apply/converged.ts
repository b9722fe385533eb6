// Whether a live object already says everything we would apply, so that a converged mesh costs no write at all
// (a server-side apply that changes nothing is still a write request). The desired object is compared as a
// subset of the live one, tolerant of what the API server does to what it stores: it adds defaults (extra
// fields), drops empty maps and lists, and writes quantities canonically ("2048Mi" comes back as "2Gi").
// What we rendered is recorded as a hash annotation, so a field we stopped rendering also counts as a change.
import { MeshopAnnotation } from '../objects/index.ts';
import { createHash } from 'node:crypto';
import { parseQuantity } from '../api/index.ts';
import type { KubeObject } from '../kube/index.ts';
import { withSortedKeys } from '../tree/index.ts';
import type { ReadonlyJsonValue } from '../tree/index.ts';

export const renderHashAnnotation = MeshopAnnotation.renderHash;

/** A stable hash of the object as rendered (key order does not matter). */
export function renderHash(obj: KubeObject): string {
  return createHash('sha256')
    .update(JSON.stringify(withSortedKeys(obj as unknown as ReadonlyJsonValue)))
    .digest('hex')
    .slice(0, 32);
}

function scalarEqual(want: unknown, have: unknown): boolean {
  if (want === have) return true;
  const a = parseQuantity(want);
  const b = parseQuantity(have);
  return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-12;
}

// Go's `omitempty` drops zero values ("", 0, false) and empty maps and lists when the server stores an object.
const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  v === 0 ||
  v === false ||
  (typeof v === 'object' && Object.keys(v).length === 0);

function arraySubset(want: readonly unknown[], have: unknown): boolean {
  if (want.length === 0) return isEmpty(have);
  return Array.isArray(have) && have.length === want.length && want.every((w, i) => isSubset(w, have[i]));
}

function objectSubset(want: Record<string, unknown>, have: unknown): boolean {
  const entries = Object.entries(want).filter(([, w]) => w !== undefined);
  const haveIsMap = have !== null && typeof have === 'object' && !Array.isArray(have);
  if (entries.length === 0) return isEmpty(have) || haveIsMap;
  if (!haveIsMap) return false;
  const h = have as Record<string, unknown>;
  return entries.every(([k, w]) => (isEmpty(w) && isEmpty(h[k])) || isSubset(w, h[k]));
}

/** Every field of `want` is in `have` with an equal value. */
export function isSubset(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) return arraySubset(want, have);
  if (want !== null && typeof want === 'object') return objectSubset(want as Record<string, unknown>, have);
  return scalarEqual(want, have);
}

/** The live object needs no write: same render as last applied, and every rendered field still holds. */
export function isConverged(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return false;
  const hash = desired.metadata.annotations?.[renderHashAnnotation];
  if (hash === undefined || live.metadata.annotations?.[renderHashAnnotation] !== hash) return false;
  // A rendered object has no status; the live one's is the cluster's business.
  return isSubset({ ...desired, status: undefined }, live);
}
