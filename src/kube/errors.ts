// One place that turns API server failures into typed errors, so callers test `isNotFound(err)` instead of
// digging through HTTP status codes and Status bodies.
import type { ApiStatus } from '../objects/index.ts';

export const StatusReason = {
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Expired: 'Expired',
  Forbidden: 'Forbidden',
  Unauthorized: 'Unauthorized',
  Invalid: 'Invalid',
  BadRequest: 'BadRequest',
  MethodNotAllowed: 'MethodNotAllowed',
  TooManyRequests: 'TooManyRequests',
  Timeout: 'Timeout',
  ServerTimeout: 'ServerTimeout',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Unknown: 'Unknown',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

const reasonByCode: Record<number, StatusReason> = {
  400: StatusReason.BadRequest,
  401: StatusReason.Unauthorized,
  403: StatusReason.Forbidden,
  404: StatusReason.NotFound,
  405: StatusReason.MethodNotAllowed,
  409: StatusReason.Conflict,
  410: StatusReason.Gone,
  422: StatusReason.Invalid,
  429: StatusReason.TooManyRequests,
  500: StatusReason.InternalError,
  503: StatusReason.ServiceUnavailable,
  504: StatusReason.Timeout,
};

const knownReasons = new Set<string>(Object.values(StatusReason));

/** A request the API server answered with an error status. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly status: ApiStatus | undefined;

  constructor(what: string, code: number, status: ApiStatus | undefined) {
    const reason = reasonOf(code, status);
    super(`${what}: ${String(code)} ${reason}: ${status?.message ?? 'no message'}`);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.status = status;
  }

  /** Field paths the API server named as invalid (422), e.g. `spec.revision`. */
  get fieldCauses(): { field: string; message: string }[] {
    return (this.status?.details?.causes ?? []).map((c) => ({
      field: c.field ?? '',
      message: c.message ?? '',
    }));
  }
}

/** A request that never got an answer: connection refused, reset, TLS failure, timeout. */
export class TransportError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'TransportError';
  }
}

function reasonOf(code: number, status: ApiStatus | undefined): StatusReason {
  const given = status?.reason;
  if (given !== undefined && knownReasons.has(given)) return given as StatusReason;
  return reasonByCode[code] ?? StatusReason.Unknown;
}

function hasReason(err: unknown, ...reasons: StatusReason[]): boolean {
  return err instanceof ApiError && reasons.includes(err.reason);
}

export const isNotFound = (err: unknown): boolean => hasReason(err, StatusReason.NotFound);
export const isAlreadyExists = (err: unknown): boolean => hasReason(err, StatusReason.AlreadyExists);
export const isConflict = (err: unknown): boolean => hasReason(err, StatusReason.Conflict);
/** 410: a watch or list resourceVersion is too old; relist. */
export const isGone = (err: unknown): boolean =>
  hasReason(err, StatusReason.Gone, StatusReason.Expired) || (err instanceof ApiError && err.code === 410);
export const isForbidden = (err: unknown): boolean => hasReason(err, StatusReason.Forbidden);
export const isUnauthorized = (err: unknown): boolean => hasReason(err, StatusReason.Unauthorized);
export const isInvalid = (err: unknown): boolean => hasReason(err, StatusReason.Invalid);
export const isBadRequest = (err: unknown): boolean => hasReason(err, StatusReason.BadRequest);
export const isTooManyRequests = (err: unknown): boolean => hasReason(err, StatusReason.TooManyRequests);
export const isMethodNotAllowed = (err: unknown): boolean => hasReason(err, StatusReason.MethodNotAllowed);
export const isTransport = (err: unknown): boolean => err instanceof TransportError;

/** Worth retrying as is: the server was busy, timed out or unreachable, not a verdict on the request. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransportError) return true;
  return hasReason(
    err,
    StatusReason.TooManyRequests,
    StatusReason.Timeout,
    StatusReason.ServerTimeout,
    StatusReason.InternalError,
    StatusReason.ServiceUnavailable,
  );
}

/** The kubeconfig could not be used; names the file. */
export class KubeConfigError extends Error {
  readonly file: string;
  constructor(file: string, problem: string, cause?: unknown) {
    super(`kubeconfig ${file}: ${problem}`, cause === undefined ? undefined : { cause });
    this.name = 'KubeConfigError';
    this.file = file;
  }
}

/**
 * The pod's in-cluster configuration could not be used. A KubeConfigError (same exit code, same handling), but
 * the message names the missing piece without pretending a kubeconfig file was involved.
 */
export class InClusterConfigError extends KubeConfigError {
  constructor(label: string, problem: string, cause?: unknown) {
    super(label, problem, cause);
    this.name = 'InClusterConfigError';
    this.message = `in-cluster: ${problem}`;
  }
}
