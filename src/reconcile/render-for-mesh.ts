// From the stored MeshConfig to its render, or an InvalidSpecError naming the field: everything the API
// server's schema could not catch (profiles, versions, overlays that do not apply) is refused here, before
// anything is applied.
import { formatValidationError, validateMeshConfig } from '../api/index.ts';
import { UnknownVersionError } from '../catalog/index.ts';
import { RenderError, renderMesh } from '../render/index.ts';
import type { RenderResult } from '../render/index.ts';
import type { ReadonlyJsonObject } from '../tree/index.ts';
import type { MeshObject } from './mesh-object.ts';
import { InvalidSpecError } from './reconcile-errors.ts';
import type { ReleaseSource } from './release-source.ts';

/** `revision` is the one the strategy chose (src/revisions); the render uses it whatever the spec names. */
export function renderForMesh(mesh: MeshObject, releases: ReleaseSource, revision: string): RenderResult {
  const { apiVersion, kind, metadata, spec } = mesh;
  const errors = validateMeshConfig(
    { apiVersion, kind, metadata: { name: metadata.name }, spec: spec ?? {} },
    {
      versions: releases.versions,
    },
  );
  if (errors.length > 0) throw new InvalidSpecError(errors.map(formatValidationError).join('; '));
  const userSpec = (spec ?? {}) as ReadonlyJsonObject;
  try {
    const version = typeof userSpec.version === 'string' ? userSpec.version : undefined;
    const { release, artifacts } = releases.load(version);
    return renderMesh({ name: metadata.name ?? '', spec: userSpec, revision }, release, artifacts);
  } catch (err) {
    if (err instanceof RenderError || err instanceof UnknownVersionError) {
      throw new InvalidSpecError(err.message, { cause: err });
    }
    throw err;
  }
}
