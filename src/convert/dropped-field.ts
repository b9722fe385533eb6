// What conversion could not carry over. Reported one per path, never dropped silently.

export interface DroppedField {
  /** Field path in the input, in validation's notation (`spec.components.pilot.k8s.foo`). */
  readonly path: string;
  /** Why it was left out, e.g. `unknown field (did you mean "env"?)`. */
  readonly reason: string;
}
