/** Where the CLI writes: injected so tests run it in-process. */
export interface CliIO {
  /** Results (tables, JSON). */
  readonly stdout: { write(text: string): unknown };
  /** Logs, warnings and errors. */
  readonly stderr: { write(text: string): unknown };
}

/** Exit codes: 0 ok, 1 usage or tool error, 2 findings (e.g. a trace that fails). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_FINDINGS = 2;
