// The code that turns a release's API definitions into schemas. A cached result (derived-cache.ts) stands only for
// the code that made it, so its key includes a digest of these files: read here when running the sources, and
// compiled in as MESHOP_SCHEMA_CODE_DIGEST by the bundler (hack/bundle.ts), where the sources are not shipped.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const schemaCodeFiles: readonly URL[] = [
  '../api/release-validation.ts',
  '../api/schema/protobuf-schema.ts',
].map((path) => new URL(path, import.meta.url));

declare const MESHOP_SCHEMA_CODE_DIGEST: string | undefined;

let digest: string | undefined;

export function schemaCodeDigest(): string {
  // `typeof` on a name that is not defined is 'undefined' (the sources); the bundler replaces it with a string.
  if (typeof MESHOP_SCHEMA_CODE_DIGEST === 'string') return MESHOP_SCHEMA_CODE_DIGEST;
  if (digest === undefined) {
    const hash = createHash('sha256');
    for (const file of schemaCodeFiles) hash.update(readFileSync(file));
    digest = hash.digest('hex');
  }
  return digest;
}
