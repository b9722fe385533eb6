// Which exit code a failure means. Loaded only when a command fails: it needs the error classes of the artifacts,
// the catalog and the kube client.
// The error module alone, not the artifacts barrel (which brings protobufjs).
import { ArtifactsError } from '../artifacts/artifacts-error.ts';
import { UnknownVersionError } from '../catalog/index.ts';
// The errors module alone, not src/kube/index.ts: a failure need not load the whole client.
import { ApiError, KubeConfigError, TransportError } from '../kube/errors.ts';
import { ExitCode, InputError } from './exit-codes.ts';

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof KubeConfigError || err instanceof InputError || err instanceof UnknownVersionError) {
    return ExitCode.Usage;
  }
  if (err instanceof ArtifactsError) return ExitCode.Failed;
  if (err instanceof ApiError || err instanceof TransportError) return ExitCode.Cluster;
  return ExitCode.Failed;
}
