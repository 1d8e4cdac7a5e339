/** Rendering of a {@link DiffResult}: text grouped by namespace, JSON, and a pull-request comment. */
import { escapeText } from '../report/text';
import type { DiffChange, DiffResult } from './diff';
import type { EquivalenceResult } from './equivalent';

function byNamespace(changes: readonly DiffChange[]): Map<string, DiffChange[]> {
  const out = new Map<string, DiffChange[]>();
  for (const c of changes) {
    const list = out.get(c.namespace) ?? [];
    list.push(c);
    out.set(c.namespace, list);
  }
  return out;
}

/** One-line summary, e.g. `3 behaviour changes in 1 namespace (1 exposure), 24 witness requests`. */
export function headline(result: DiffResult): string {
  const witnesses = `${result.witnesses} witness request${result.witnesses === 1 ? '' : 's'}`;
  if (result.changes.length === 0) return `no behaviour change (${witnesses})`;
  const ns = byNamespace(result.changes).size;
  const exposure = result.changes.filter((c) => c.impact === 'exposure').length;
  return `${result.changes.length} behaviour change${result.changes.length === 1 ? '' : 's'} in ${ns} namespace${ns === 1 ? '' : 's'}` +
    (exposure > 0 ? ` (${exposure} exposure)` : '') + `, ${witnesses}`;
}

/** ` (and 3 more requests)` for an L7 change that several witness requests share. */
function more(c: DiffChange): string {
  const n = (c.requests?.length ?? 1) - 1;
  return n > 0 ? ` (and ${n} more request${n === 1 ? '' : 's'} with the same change)` : '';
}

/** Text: a headline, then per namespace one line per change, then the notes. Manifest text is escaped. */
export function formatDiffText(result: DiffResult): string {
  const lines = [headline(result)];
  for (const [ns, list] of byNamespace(result.changes)) {
    lines.push(`namespace ${ns || '(cluster)'}:`);
    for (const c of list) lines.push(`  ${c.impact.padEnd(9)} ${c.subject}: ${c.message}${more(c)}`);
  }
  if (result.notes.length > 0) {
    lines.push('not compared or open:');
    for (const n of result.notes) lines.push(`  ${n}`);
  }
  return `${lines.map(escapeText).join('\n')}\n`;
}

function md(s: string): string {
  return escapeText(s).replace(/[<>&|`*_[\]]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Markdown for a pull-request comment: a bold headline, one collapsible section per namespace, notes last. */
export function formatDiffMarkdown(result: DiffResult): string {
  const lines = [`**netkit diff: ${md(headline(result))}**`];
  for (const [ns, list] of byNamespace(result.changes)) {
    lines.push('', `<details><summary>namespace ${md(ns || '(cluster)')} (${list.length})</summary>`, '');
    for (const c of list) {
      lines.push(`- **${c.impact}** ${md(c.subject)}: ${md(c.message)}${md(more(c))}`);
      for (const r of (c.requests ?? []).slice(1)) lines.push(`  - ${md(r)}`);
    }
    lines.push('', '</details>');
  }
  if (result.notes.length > 0) {
    lines.push('', `<details><summary>not compared or open (${result.notes.length})</summary>`, '');
    for (const n of result.notes) lines.push(`- ${md(n)}`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/** Equivalence result as text: the verdict, every differing request, what was not compared, notes. */
export function formatEquivalenceText(r: EquivalenceResult): string {
  const lines = [r.equivalent
    ? `equivalent: all ${r.witnesses} witness requests route the same${r.notCompared.length ? ` (${r.notCompared.length} source feature${r.notCompared.length === 1 ? '' : 's'} not compared, listed below)` : ''}`
    : `not equivalent: ${r.differences.length} of ${r.witnesses} witness requests route differently`];
  for (const d of r.differences) lines.push(`  ${d.request}: ${d.before} -> ${d.after}`);
  if (r.notCompared.length) {
    lines.push('not compared:');
    for (const n of r.notCompared) lines.push(`  ${n}`);
  }
  if (r.notes.length) {
    lines.push('notes:');
    for (const n of r.notes) lines.push(`  ${n}`);
  }
  return `${lines.map(escapeText).join('\n')}\n`;
}

/** Equivalence result as a pull-request comment. */
export function formatEquivalenceMarkdown(r: EquivalenceResult): string {
  const lines = [`**netkit diff --equivalent: ${r.equivalent ? `equivalent, ${r.witnesses} witness requests route the same` : `not equivalent, ${r.differences.length} of ${r.witnesses} witness requests route differently`}**`];
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    lines.push('', `<details><summary>${md(title)} (${items.length})</summary>`, '');
    for (const i of items) lines.push(`- ${md(i)}`);
    lines.push('', '</details>');
  };
  section('routed differently', r.differences.map((d) => `${d.request}: ${d.before} -> ${d.after}`));
  section('not compared', r.notCompared);
  section('notes', r.notes);
  return `${lines.join('\n')}\n`;
}
