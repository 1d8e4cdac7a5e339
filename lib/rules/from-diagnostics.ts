/** Findings from the engine's own diagnostics (allocation conflicts, rejected workloads). */
import type { Diagnostic } from '../engine/diagnostics';
import type { RuleContext } from './context';
import type { Finding } from './types';

/** The cluster's diagnostics with one of `codes`, as findings on their objects. */
export function diagnosticFindings(ctx: RuleContext, codes: readonly string[], keep: (d: Diagnostic) => boolean = () => true): Finding[] {
  const out: Finding[] = [];
  for (const d of ctx.cluster.diagnostics) {
    if (!codes.includes(d.code) || !d.object || !keep(d)) continue;
    const object = ctx.find(d.object.kind, d.object.namespace, d.object.name);
    if (object) out.push({ object, path: d.path ?? '', message: d.message, fix: d.hint });
  }
  return out;
}
