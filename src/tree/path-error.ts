// One error type for every path problem, so callers (the --set parser, the overlay renderer) can report the
// path as the user wrote it and the exact segment that failed.

export class PathError extends Error {
  override readonly name = 'PathError';
  /** The whole path as given. */
  readonly path: string;
  /** The segment that failed, as written in the path (e.g. `[name:discovery]`). */
  readonly segment: string;

  constructor(path: string, segment: string, reason: string) {
    super(`path "${path}": segment "${segment}": ${reason}`);
    this.path = path;
    this.segment = segment;
  }
}
