/**
 * Vocabulary shared by every layer: which object, and where it was written. Lives below
 * lib/manifest (which produces it) and lib/engine (which carries it into every answer).
 */

/** Where an object came from: a manifest file and the 1-based line its document starts on. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** A reference to one Kubernetes object. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}
