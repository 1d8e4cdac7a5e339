/** Where the CLI writes: injected so tests run it in-process. */
export interface CliIO {
  /** Results (tables, JSON). */
  readonly stdout: { write(text: string): unknown };
  /** Logs, warnings and errors. */
  readonly stderr: { write(text: string): unknown };
}

/** Exit code: success. */
export const EXIT_OK = 0;
/** Exit code: usage error, bad input or tool error. */
export const EXIT_ERROR = 1;
/** Exit code: the command ran and found a problem (e.g. a trace that fails). */
export const EXIT_FINDINGS = 2;
