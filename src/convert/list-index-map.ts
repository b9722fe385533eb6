// Pruning runs validation again after each round of removals, and once a list element is cut out the later
// elements' indices no longer match the input. This map turns the current indices back into the input's, so
// every reported path names the field as the user wrote it.
import { formatFieldPath } from './field-path.ts';
import type { FieldSegment } from './field-path.ts';

export class ListIndexMap {
  /** Per list (keyed by its path in the input): the input index of each current element. */
  readonly #lists = new Map<string, number[]>();

  /** `segments`, a path in the current tree, as a path in the input. */
  toInput(segments: readonly FieldSegment[]): FieldSegment[] {
    const input: FieldSegment[] = [];
    for (const segment of segments) {
      const indices = typeof segment === 'number' ? this.#lists.get(formatFieldPath(input)) : undefined;
      input.push(typeof segment === 'number' ? (indices?.[segment] ?? segment) : segment);
    }
    return input;
  }

  /**
   * Records that the element at `index` of the list at `listPath` (current path) was removed. `length` is the
   * list's current length, needed the first time the list loses an element.
   */
  removed(listPath: readonly FieldSegment[], index: number, length: number): void {
    const key = formatFieldPath(this.toInput(listPath));
    const indices = this.#lists.get(key) ?? Array.from({ length }, (_, i) => i);
    indices.splice(index, 1);
    this.#lists.set(key, indices);
  }
}
