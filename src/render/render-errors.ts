// Why a spec could not be rendered, with the field path of the cause, so the operator can put it in a status
// condition and the CLI on one line. Rendering fails before anything is applied; nothing is ever half-rendered.
import { formatValidationError } from '../api/index.ts';
import type { ValidationError } from '../api/index.ts';
import { UnknownProfileError } from '../profiles/index.ts';
import { OverlayError } from './k8s-settings.ts';

export class RenderError extends Error {
  readonly path: string;
  /** Every problem found, when there were several (validation against the release); else this one. */
  readonly problems: readonly ValidationError[];
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'RenderError';
    this.path = path;
    this.problems = [{ path, message }];
  }
}

/** A spec the release refuses: every problem, each with its field path. */
export class InvalidForReleaseError extends RenderError {
  override readonly problems: readonly ValidationError[];
  constructor(version: string, problems: readonly ValidationError[]) {
    const first = problems[0] ?? { path: 'spec', message: 'invalid' };
    super(first.path, `${first.message} (Istio ${version})`);
    this.name = 'InvalidForReleaseError';
    this.problems = problems;
    this.message = problems.map(formatValidationError).join('; ');
  }
}

/** The errors renderers and layering throw, as RenderErrors with the spec path they concern. */
export function asRenderError(err: unknown): unknown {
  if (err instanceof RenderError) return err;
  if (err instanceof UnknownProfileError) return new RenderError('spec.profile', err.message, err);
  if (err instanceof OverlayError) return new RenderError(err.path, err.message, err);
  return err;
}
