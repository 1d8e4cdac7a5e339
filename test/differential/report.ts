/** The differential suite's text report: one table row per checkpoint, then every difference. */
import type { Difference } from '../../lib/apply/compare';
import { formatDifference } from '../../lib/cli/verify';
import { passed, type CheckpointResult } from './scenario-run';

/** Render rows as a fixed-width table (first row is the header). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

function count(d: readonly Difference[] | undefined): string {
  if (d === undefined) return 'n/a';
  return d.length === 0 ? 'ok' : String(d.length);
}

/** The per-checkpoint table. */
export function resultTable(results: readonly CheckpointResult[]): string {
  const rows: string[][] = [['scenario', 'checkpoint', 'pods', 'addresses r/nr', 'slices', 'settle', 'engine', 'predict', 'replay', 'shape', 'reconciler', 'result']];
  for (const r of results) {
    rows.push([
      r.scenario, r.label, String(r.pods), `${r.addresses.ready}/${r.addresses.notReady}`, String(r.slices),
      `${(r.settleMs / 1000).toFixed(1)}s`, `${r.engineMs < 10 ? r.engineMs.toFixed(2) : r.engineMs.toFixed(0)}ms`,
      count(r.predict), count(r.replay), count(r.shape), count(r.reconciler),
      passed(r) ? 'PASS' : 'FAIL',
    ]);
  }
  return table(rows);
}

/** Every difference of the failed checkpoints, grouped, readable. */
export function failureDetails(results: readonly CheckpointResult[], limit = 40): string {
  const out: string[] = [];
  for (const r of results) {
    if (passed(r)) continue;
    out.push(`\n${r.scenario} / ${r.label}:`);
    const section = (name: string, list: readonly Difference[] | undefined): void => {
      if (!list || list.length === 0) return;
      out.push(`  ${name} (${list.length}):`);
      for (const d of list.slice(0, limit)) out.push(`    ${formatDifference(d)}`);
      if (list.length > limit) out.push(`    ... ${list.length - limit} more`);
    };
    if (r.pending.length > 0) out.push(`  did not settle: ${r.pending.join('; ')}`);
    if (r.engineErrors.length > 0) out.push(`  engine errors: ${r.engineErrors.join('; ')}`);
    section('engine from manifests vs cluster (predict)', r.predict);
    section('engine replaying the live pods vs cluster (replay)', r.replay);
    section('slice counts and sizes', r.shape);
    section('reconciler replay on the live slices', r.reconciler);
    section('live self-consistency', r.consistency);
    section('API server admission vs engine', r.admission);
    section('rejected when applied (API server vs engine)', r.rejections);
  }
  return out.join('\n');
}
