/** Human-readable rendering of a {@link Trace} for `netkit trace`. */
import type { Trace } from '../engine/trace';
import { escapeText } from './text';
import { renderTable } from './table';
import { formatTraceReachability } from './policy';

function pct(p: number): string {
  const v = p * 100;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** A multi-line description: request, DNS queries, rule, destinations, notes, result. */
export function formatTrace(t: Trace): string {
  const out: string[] = [];
  const port = t.request.port !== undefined ? `:${t.request.port}` : '';
  out.push(`trace  ${t.request.from} -> ${t.request.to}${port}/${t.request.protocol}`);
  if (t.dns) {
    const d = t.dns;
    const how = d.searchList.length ? ` (search ${d.searchList.join(' ')}, ndots:${d.ndots})` : '';
    out.push(`dns    ${d.name} ${d.type}${how}`);
    for (const q of d.queries) {
      const records = q.records.map((r) => (r.type === 'SRV' ? `SRV ${r.value}:${r.port}` : `${r.type} ${r.value}`)).join(', ');
      out.push(`         ${q.name}  ${q.rcode}${records ? `  ${records}` : ''}`);
    }
  }
  if (t.route) {
    const r = t.route;
    if (r.kind === 'proxy') {
      out.push(`rule   ${r.rule.kind} ${r.rule.ip}:${r.rule.port}/${r.rule.protocol} -> ${r.rule.service}${r.rule.portName ? ` port ${r.rule.portName}` : ''} (kube-proxy on node ${r.node}${t.policy ? `, ${t.policy} policy` : ''})`);
    } else if (r.kind === 'external-lb') {
      out.push(`rule   ${r.rule.kind} ${r.rule.ip}:${r.rule.port}/${r.rule.protocol} -> ${r.rule.service} (via ${r.nodes} node(s)${t.policy ? `, ${t.policy} policy` : ''})`);
    } else {
      out.push(`rule   none: direct to pod IP${r.headless ? ` (headless Service ${r.headless})` : ''}`);
    }
  }
  if (t.destinations.length > 0) {
    const rows = t.destinations.map((d) => [
      `         ${d.pod ?? '-'}`,
      `${d.ip}:${d.port}`,
      d.node ? `node ${d.node}` : '',
      d.zone ?? '',
      d.ready ? '' : 'unready',
      pct(d.probability),
    ]);
    out.push('to');
    for (const l of renderTable(rows).trimEnd().split('\n')) out.push(l);
  }
  out.push(...formatTraceReachability(t));
  if (t.dropProbability) out.push(`drop   ${pct(t.dropProbability)} of connections`);
  for (const note of t.notes) out.push(`note   ${note}`);
  out.push(t.ok ? 'result OK' : `result FAIL (${t.failure?.code}): ${t.failure?.message}`);
  // Each line may quote names, hosts and messages from manifests (tables are escaped per cell).
  return out.map(escapeText).join('\n') + '\n';
}
