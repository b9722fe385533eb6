// Parses a release's API definitions (the `api/` tree of its artifacts, already checked against their
// checksums) into one protobufjs Root, from memory: no file is read twice, and nothing outside the tree is.
import protobuf from 'protobufjs';
import { ArtifactsError } from './artifacts-error.ts';

const wellKnown = ['any', 'duration', 'empty', 'field_mask', 'struct', 'timestamp', 'wrappers'].map(
  (name) => `google/protobuf/${name}.proto`,
);

/** `files` maps import paths to file contents. */
export function apiDefinitionsFrom(dir: string, files: ReadonlyMap<string, Buffer>): protobuf.Root {
  const root = new protobuf.Root();
  try {
    // protobufjs carries Google's well-known types; the tree has them only when a module vendors them.
    for (const name of wellKnown) {
      const nested = files.has(name) ? undefined : protobuf.common.get(name)?.nested;
      if (nested) root.addJSON(nested);
    }
    for (const [name, data] of files) {
      if (name.endsWith('.proto')) protobuf.parse(data.toString('utf8'), root, { keepCase: true });
    }
    root.resolveAll();
  } catch (err) {
    throw new ArtifactsError(dir, `api/: ${(err as Error).message}`, err);
  }
  return root;
}
