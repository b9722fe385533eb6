// What validation reports: the field path and the rule it broke, printed as `path: message`.

export interface ValidationError {
  /** Field path from the object root, e.g. `spec.components.ingressGateways[1].name`. */
  readonly path: string;
  /** The rule, stated for a human, e.g. `duplicate gateway "istio-ingressgateway"`. */
  readonly message: string;
}

export function validationError(path: string, message: string): ValidationError {
  return { path, message };
}

export function formatValidationError(error: ValidationError): string {
  return `${error.path}: ${error.message}`;
}

/** Joins a parent path and a property name; names that are not identifiers are quoted, as kubectl does. */
export function childPath(parent: string, key: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === '' ? segment.replace(/^\./, '') : `${parent}${segment}`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
