// Makes a MeshConfig valid by removing what validation rejects, reporting each removal. Validation paths name the
// offending field; when the field is missing (a required one), the element that lacks it is removed instead.
import { formatValidationError, validateMeshConfig } from '../api/index.ts';
import type { ValidationContext, ValidationError } from '../api/index.ts';
import { cloneJsonObject, isJsonArray } from '../tree/index.ts';
import type { JsonObject, ReadonlyJsonObject } from '../tree/index.ts';
import { ConversionError } from './conversion-error.ts';
import type { DroppedField } from './dropped-field.ts';
import {
  compareForRemoval,
  existingDepth,
  formatFieldPath,
  parseFieldPath,
  removeField,
  valueAt,
} from './field-path.ts';
import type { FieldSegment } from './field-path.ts';
import { ListIndexMap } from './list-index-map.ts';

export interface PruneResult {
  readonly meshConfig: JsonObject;
  readonly dropped: DroppedField[];
}

interface Removal {
  /** Where the node is now. */
  readonly segments: readonly FieldSegment[];
  /** What is reported, with the path as it was in the input. */
  readonly dropped: DroppedField;
}

// Removing a field can reveal another problem (a gateway whose duplicate name was dropped now has no name);
// each pass removes at least one node, so a few passes settle any real document.
const maxPasses = 8;

class Pruner {
  readonly tree: JsonObject;
  readonly dropped: DroppedField[] = [];
  readonly #indices = new ListIndexMap();

  constructor(meshConfig: ReadonlyJsonObject) {
    this.tree = cloneJsonObject(meshConfig);
  }

  /** Removes every field `errors` name; all paths are read before anything is removed. */
  prune(errors: readonly ValidationError[]): void {
    const removals = errors.map((error) => this.#removalFor(error));
    this.dropped.push(...removals.map((r) => r.dropped));
    const unique = new Map(removals.map((r) => [r.dropped.path, r.segments]));
    // Later list elements first, children before their parents, so no removal shifts another's index.
    for (const segments of [...unique.values()].sort(compareForRemoval)) this.#remove(segments);
  }

  #removalFor(error: ValidationError): Removal {
    const segments = parseFieldPath(error.path);
    const target = segments.slice(0, existingDepth(this.tree, segments));
    // Only the user's spec may lose fields: identity and name are the converter's own.
    if (target[0] !== 'spec') {
      throw new ConversionError(`cannot make a MeshConfig: ${formatValidationError(error)}`);
    }
    const path = formatFieldPath(this.#indices.toInput(target));
    const missing = formatFieldPath(segments.slice(target.length));
    const earlier = this.dropped.some((d) => d.path === formatFieldPath(this.#indices.toInput(segments)));
    const why = earlier ? 'required, and dropped above' : error.message;
    return { segments: target, dropped: { path, reason: missing === '' ? why : `${missing}: ${why}` } };
  }

  #remove(segments: readonly FieldSegment[]): void {
    const index = segments.at(-1);
    const listPath = segments.slice(0, -1);
    const list = valueAt(this.tree, listPath);
    if (typeof index === 'number' && isJsonArray(list)) this.#indices.removed(listPath, index, list.length);
    removeField(this.tree, segments);
  }
}

/** `meshConfig` without every field validation rejects, and what was removed, in validation's order. */
export function pruneInvalid(meshConfig: ReadonlyJsonObject, context: ValidationContext): PruneResult {
  const pruner = new Pruner(meshConfig);
  for (let pass = 0; pass < maxPasses; pass++) {
    const errors = validateMeshConfig(pruner.tree, context);
    if (errors.length === 0) break;
    pruner.prune(errors);
  }
  const left = validateMeshConfig(pruner.tree, context)[0];
  if (left !== undefined) {
    throw new ConversionError(`cannot make a valid MeshConfig: ${formatValidationError(left)}`);
  }
  return { meshConfig: pruner.tree, dropped: pruner.dropped };
}
