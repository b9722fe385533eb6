// Why a spec could not be rendered, with the field path of the cause, so the operator can put it in a status
// condition and the CLI on one line. Rendering fails before anything is applied; nothing is ever half-rendered.
import { UnknownPlatformError, UnknownProfileError } from '../profiles/index.ts';
import { OverlayError } from './k8s-settings.ts';

export class RenderError extends Error {
  readonly path: string;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'RenderError';
    this.path = path;
  }
}

/** The errors renderers and layering throw, as RenderErrors with the spec path they concern. */
export function asRenderError(err: unknown): unknown {
  if (err instanceof RenderError) return err;
  if (err instanceof UnknownProfileError) return new RenderError('spec.profile', err.message, err);
  if (err instanceof UnknownPlatformError)
    return new RenderError('spec.values.global.platform', err.message, err);
  if (err instanceof OverlayError) return new RenderError('spec', err.message, err);
  return err;
}
