// The API server's audit log (a private cluster started with `auditLog: true`), read from a mark: which requests
// who sent since then. One JSON event per line; only the fields the tests and benchmarks read are typed.
import { readFileSync } from 'node:fs';

export interface AuditEvent {
  verb: string;
  /** ResponseStarted (long-running requests: watches) or ResponseComplete. */
  stage?: string;
  requestURI: string;
  userAgent?: string;
  user?: { username?: string };
  /** Who the request acted as, when it impersonated (kubectl --as). */
  impersonatedUser?: { username?: string };
  objectRef?: {
    resource?: string;
    subresource?: string;
    apiGroup?: string;
    namespace?: string;
    name?: string;
  };
  responseStatus?: { code?: number };
  /** When the API server received the request (RFC 3339, microseconds). */
  requestReceivedTimestamp?: string;
}

/** Verbs that change stored state. */
export const writeVerbs: ReadonlySet<string> = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

export const isWrite = (e: AuditEvent): boolean => writeVerbs.has(e.verb);

/** Where the log ends now; pass it to auditSince to read what comes after. */
export const auditMark = (file: string): number => readFileSync(file, 'utf8').length;

/**
 * The events logged after `mark`. The API server may be writing a line while the log is read: a line the mark
 * cut belongs before it and is left out, and a last line not yet ended is left for the next read.
 */
export function auditSince(file: string, mark: number): AuditEvent[] {
  const text = readFileSync(file, 'utf8');
  const start = mark === 0 || text[mark - 1] === '\n' ? mark : text.indexOf('\n', mark) + 1;
  if (start === 0 && mark !== 0) return [];
  return text
    .slice(start, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}
