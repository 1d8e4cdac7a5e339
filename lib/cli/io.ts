import { yamlModule } from '../core/yaml';

/** Where the CLI writes: injected so tests run it in-process. */
export interface CliIO {
  /**
   * Results (tables, JSON). `isTTY` and `columns` are a terminal's, as Node's `process.stdout`
   * has them: tables fit `columns` (120 when not a terminal) and colour is used on a terminal only.
   */
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  /** Logs, warnings and errors (coloured on a terminal, as stdout). */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** Exit code: success. */
export const EXIT_OK = 0;
/** Exit code: usage error, bad input or tool error. */
export const EXIT_ERROR = 1;
/** Exit code: the command ran and found a problem (e.g. a trace that fails). */
export const EXIT_FINDINGS = 2;

/** Machine-readable output formats: `-o json` everywhere, `-o yaml` as kubectl offers it too. */
export type DataFormat = 'json' | 'yaml';

/**
 * `value` as `-o json` (two-space indented) or `-o yaml` prints it. YAML is written from the JSON
 * form, so both carry the same fields (undefined dropped, no class instances).
 */
export function formatData(value: unknown, format: DataFormat): string {
  const json = JSON.stringify(value, null, 2);
  if (format === 'json') return `${json}\n`;
  return yamlModule().stringify(JSON.parse(json), { lineWidth: 0 });
}
