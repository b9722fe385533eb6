// The CLI's exit codes, documented in the README. Scripts branch on these, so they never change meaning. Light on
// purpose (every run loads it); which error means which code is exit-code-for.ts, loaded only on a failure.
export const ExitCode = {
  Ok: 0,
  /** The operation ran and failed (a component did not become ready, a wait timed out). */
  Failed: 1,
  /** Bad input: unknown flag, invalid file, unusable kubeconfig. Nothing was changed. */
  Usage: 2,
  /** The cluster could not be reached or refused the request. */
  Cluster: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Marks an error as the user's input being wrong (exit 2). It may carry several problems, one line each. */
export class InputError extends Error {
  override name = 'InputError';
  readonly problems: readonly string[];
  constructor(message: string, options: { problems?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.problems = options.problems ?? [];
  }
}

/** For stderr: the message on one line, never the stack; an input error's problems follow, a line each. */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = `meshop: ${text.split('\n')[0] ?? text}`;
  if (!(err instanceof InputError) || err.problems.length === 0) return first;
  return [first, ...err.problems.map((p) => `  ${p}`)].join('\n');
}
