// JSON logs, one object per line: a constant message in Kubernetes style ("Acquired lease") and the variable
// data in fields, so logs can be filtered by mesh, revision or reconcile without parsing sentences.
import type { Writable } from 'node:stream';
import winston from 'winston';

export const LogLevel = { Error: 'error', Warn: 'warn', Info: 'info', Debug: 'debug' } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** The fields every component uses; anything else may be added, but these names are fixed. */
export interface LogFields {
  mesh?: string;
  revision?: string;
  component?: string;
  reconcileID?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  durationMs?: number;
  /** An Error (or anything thrown): logged as its message and its chain of causes. */
  error?: unknown;
  [field: string]: unknown;
}

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr unless given (tests pass a buffer). */
  stream?: Writable;
  /** Fields on every line, e.g. `{ component: 'manager' }`. */
  fields?: LogFields;
  /** Write nothing (tests that do not look at logs). */
  silent?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const root = winston.createLogger({
    level: options.level ?? LogLevel.Info,
    silent: options.silent ?? false,
    format: winston.format.combine(errorsAsText(), winston.format.timestamp(), winston.format.json()),
    transports: [
      // winston types its Stream transport as an interface with a constructor, not as the class it is.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
      new winston.transports.Stream({ stream: options.stream ?? process.stderr }),
    ],
  });
  return wrap(options.fields ? root.child(options.fields) : root);
}

/** A logger that drops everything. */
export function silentLogger(): Logger {
  return createLogger({ silent: true });
}

function wrap(w: winston.Logger): Logger {
  return {
    error: (message, fields) => w.error(message, fields ?? {}),
    warn: (message, fields) => w.warn(message, fields ?? {}),
    info: (message, fields) => w.info(message, fields ?? {}),
    debug: (message, fields) => w.debug(message, fields ?? {}),
    child: (fields) => wrap(w.child(fields)),
  };
}

// JSON.stringify turns an Error into `{}`; write its message, with the causes that explain it.
const errorsAsText = winston.format((info) => {
  if (info.error !== undefined) info.error = describeError(info.error);
  return info;
});

export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current !== undefined && parts.length < 5) {
    const text = current instanceof Error ? current.message : JSON.stringify(current);
    // Our errors often repeat their cause's message already; say it once.
    if (!parts.some((p) => p.includes(text))) parts.push(text);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}
