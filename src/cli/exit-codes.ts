// The CLI's exit codes, documented in the README. Scripts branch on these, so they never change meaning.
import { ArtifactsError } from '../artifacts/index.ts';
import { UnknownVersionError } from '../catalog/index.ts';
// The errors module alone, not src/kube/index.ts: that would load @kubernetes/client-node (~0.7 s) into every
// command, even those that never talk to a cluster.
import { ApiError, KubeConfigError, TransportError } from '../kube/errors.ts';

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

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof KubeConfigError || err instanceof InputError || err instanceof UnknownVersionError) {
    return ExitCode.Usage;
  }
  if (err instanceof ArtifactsError) return ExitCode.Failed;
  if (err instanceof ApiError || err instanceof TransportError) return ExitCode.Cluster;
  return ExitCode.Failed;
}

/** For stderr: the message on one line, never the stack; an input error's problems follow, a line each. */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = `meshop: ${text.split('\n')[0] ?? text}`;
  if (!(err instanceof InputError) || err.problems.length === 0) return first;
  return [first, ...err.problems.map((p) => `  ${p}`)].join('\n');
}
