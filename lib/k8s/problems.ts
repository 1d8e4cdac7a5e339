/** One thing the API server would reject (or that would route wrongly), at a field path. */
export interface FieldProblem {
  /** JSON path inside the object, e.g. `spec.ports[1].name`. */
  readonly field: string;
  /** What is wrong, worded like the API server's error where there is one. */
  readonly message: string;
  /** How to fix it, in terms of the construct props or the manifest field. */
  readonly fix: string;
}

/**
 * Renders a problem for humans: `Service "web": spec.ports[1].name: Required value ... Fix: ...`.
 * The construct path is added by cdk8s when the message comes from a construct validation.
 */
export function formatProblem(kind: string, name: string, problem: FieldProblem): string {
  return `${kind} "${name}": ${problem.field}: ${problem.message}. Fix: ${problem.fix}`;
}
