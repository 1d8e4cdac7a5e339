import { ObjectRef, SourceLocation } from './model';

/** Severity of a {@link Diagnostic}. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem the simulation found (allocation conflict, unschedulable pod, ...), attributed to
 * the object and its source. Controllers report these instead of throwing.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable machine-readable code, e.g. `clusterip-conflict`. */
  readonly code: string;
  readonly message: string;
  readonly object?: ObjectRef;
  readonly source?: SourceLocation;
  /** Field path, e.g. `spec.ports[0].nodePort`. */
  readonly path?: string;
  readonly hint?: string;
}

/** Collects diagnostics; passed to controllers. */
export class DiagnosticSink {
  public readonly items: Diagnostic[] = [];

  /** Record one diagnostic. */
  public add(d: Diagnostic): void {
    this.items.push(d);
  }
}
