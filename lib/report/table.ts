/** Plain aligned text tables for terminal output. */
import { escapeText } from './text';

/** Render rows (the first is the header) with two spaces between columns; no trailing spaces. */
export function renderTable(unsafeRows: readonly (readonly string[])[]): string {
  // Cells hold names, hosts and paths from manifests: control characters are escaped visibly.
  const rows = unsafeRows.map((row) => row.map(escapeText));
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}
