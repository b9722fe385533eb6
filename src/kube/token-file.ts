// A bearer token kept in a file that someone else rewrites: the kubelet refreshes a pod's projected
// service-account token well before it expires (an hour by default), so a token read once at start stops
// working. As client-go's cached file token source does, the file is read again once the cached copy is older
// than a minute, and a failed re-read keeps the previous token (the kubelet swaps the file atomically, so a
// failure is transient) instead of failing every request until the next successful read.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** client-go re-reads the token file at most once a minute. */
export const defaultTokenMaxAgeMs = 60_000;

export interface TokenFileOptions {
  path: string;
  /** How long a token read from the file is used before the file is read again. */
  maxAgeMs?: number | undefined;
  /** Milliseconds; tests pass a clock they move by hand instead of waiting a minute. */
  now?: (() => number) | undefined;
}

export class TokenFile {
  readonly path: string;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private token: string | undefined;
  private readAt = 0;

  constructor(options: TokenFileOptions) {
    this.path = options.path;
    this.maxAgeMs = options.maxAgeMs ?? defaultTokenMaxAgeMs;
    this.now = options.now ?? Date.now;
  }

  /** Reads the file at once, so a missing or empty token fails at start rather than at the first request. */
  load(): string {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      throw readError(this.path, err);
    }
    return this.remember(tokenOf(this.path, text));
  }

  /** The token to send now: the cached one while it is fresh, else the file's current content. */
  async current(): Promise<string> {
    if (this.token !== undefined && this.now() - this.readAt < this.maxAgeMs) return this.token;
    try {
      return this.remember(tokenOf(this.path, await readText(this.path)));
    } catch (err) {
      if (this.token === undefined) throw err;
      return this.token;
    }
  }

  private remember(token: string): string {
    this.token = token;
    this.readAt = this.now();
    return token;
  }
}

/** The token as client-go takes it: surrounding whitespace (a trailing newline) is not part of it. */
function tokenOf(path: string, text: string): string {
  const token = text.trim();
  if (token.length === 0) throw new Error(`token file ${path} is empty`);
  return token;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw readError(path, err);
  }
}

function readError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new Error(`token file ${path} not found`, { cause: err });
  if (code === 'EACCES') return new Error(`token file ${path}: permission denied`, { cause: err });
  const why = err instanceof Error ? err.message : String(err);
  return new Error(`token file ${path} cannot be read: ${why}`, { cause: err });
}
