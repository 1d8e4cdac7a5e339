/** Human-readable rendering of L7 traces and route tables for `netkit trace <url>` and `netkit routes`. */
import type { EntryPointInfo, L7Backend, L7Problem, L7RouteRow, L7Trace } from '../engine/l7';
import { escapeText } from './text';
import { renderTable } from './table';

function pct(p: number): string {
  const v = p * 100;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

const LABEL_WIDTH = 9;
const line = (label: string, text: string): string => `${label.padEnd(LABEL_WIDTH)}${text}`;

/** Pods a backend reaches with their share of all requests (subset pods renormalised). */
function backendPods(b: L7Backend): string[][] {
  if (!b.l4 || !b.l4.ok) return [];
  const keep = b.pods ? new Set(b.pods) : undefined;
  const dests = b.l4.destinations.filter((d) => !keep || (d.pod !== undefined && keep.has(d.pod)));
  const total = dests.reduce((s, d) => s + d.probability, 0) || 1;
  return dests.map((d) => [
    `           ${d.pod ?? '-'}`,
    `${d.ip}:${d.port}`,
    d.node ? `node ${d.node}` : '',
    d.ready ? '' : 'unready',
    pct((b.probability * d.probability) / total),
  ]);
}

/** A multi-line explanation: request, each step, candidates that lost, backends and pods, result. */
export function formatL7Trace(t: L7Trace): string {
  const out: string[] = [];
  const r = t.request;
  const port = (r.scheme === 'http' && r.port === 80) || (r.scheme === 'https' && r.port === 443) ? '' : `:${r.port}`;
  const q = new URLSearchParams(r.query as Record<string, string>).toString();
  // tcp://, tls:// and udp:// are connections: no method, path or query.
  const conn = r.scheme === 'tcp' || r.scheme === 'tls' || r.scheme === 'udp';
  out.push(line('request', conn ? `${r.scheme}://${r.host}:${r.port} from ${r.from}` : `${r.method} ${r.scheme}://${r.host}${port}${r.path}${q ? `?${q}` : ''} from ${r.from}`));
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'host') out.push(line('header', `${k}: ${v}`));
  for (const s of t.steps) {
    if (s.stage === 'backend') continue;
    out.push(line(s.stage, s.message));
  }
  if (t.candidates.length > 0) {
    out.push('lost');
    for (const l of renderTable(t.candidates.map((c) => [`  ${c.route}`, c.match, c.lostBecause])).trimEnd().split('\n')) out.push(l);
  }
  for (const b of t.backends) {
    const port = b.port !== undefined ? `:${b.port}` : '';
    const subset = b.subset ? ` subset ${b.subset}` : '';
    const why = b.invalid ? ` -> ${b.status ?? 500}: ${b.invalid}` : b.l4 && !b.l4.ok ? ` -> ${b.l4.failure?.message ?? 'fails'}` : '';
    out.push(line('backend', `${b.service}${port}${subset} weight ${b.weight} (${pct(b.probability)})${why}`));
    const pods = backendPods(b);
    if (pods.length > 0) for (const l of renderTable(pods).trimEnd().split('\n')) out.push(l);
  }
  // Mirrored copies: beside the primary backends; their responses are discarded.
  for (const m of t.mirrors ?? []) {
    const why = m.invalid ? ` -> not delivered: ${m.invalid}` : m.l4 && !m.l4.ok ? ` -> ${m.l4.failure?.message ?? 'fails'}` : '';
    out.push(line('mirror', `${m.service}${m.port !== undefined ? `:${m.port}` : ''} (a copy of ${pct(m.probability)} of requests; its response is discarded)${why}`));
  }
  if (t.responseHeaders) out.push(line('resp-hdr', Object.entries(t.responseHeaders).map(([k, v]) => (v === null ? `remove ${k}` : `${k}: ${v}`)).join(', ')));
  if (t.upstream && (t.upstream.path !== r.path || t.upstream.host !== r.host)) out.push(line('upstream', `${t.upstream.host}${t.upstream.path}`));
  if (t.timeouts) out.push(line('timeouts', Object.entries(t.timeouts).map(([k, v]) => `${k} ${v}`).join(', ')));
  for (const a of t.ambiguities) out.push(line('open', a.message));
  if (t.response) out.push(line('response', `${t.response.status}${t.response.location ? ` Location: ${t.response.location}` : ''}${t.response.body ? ` body: ${t.response.body}` : ''}`));
  if (t.ok) {
    const err = t.errorProbability > 0 ? ` (${pct(t.errorProbability)} of requests get an error status)` : '';
    out.push(`result OK${err}`);
  } else {
    out.push(`result FAIL (${t.failure?.code}${t.failure?.status ? `, HTTP ${t.failure.status}` : ''}): ${t.failure?.message}`);
  }
  // Each line may quote names, hosts and messages from manifests (tables are escaped per cell).
  return out.map(escapeText).join('\n') + '\n';
}

/** The L7 section of `netkit routes`: entry points, then one row per host + match. */
export function formatL7Routes(entries: readonly EntryPointInfo[], rows: readonly L7RouteRow[], problems: readonly L7Problem[]): string {
  const out: string[] = [];
  const used = new Set(rows.map((r) => r.entry));
  const shown = entries.filter((e) => e.kind !== 'mesh' || used.has('mesh'));
  if (shown.length === 0 && rows.length === 0) return '';
  out.push('HTTP entry points');
  for (const l of renderTable([
    ['ENTRY', 'KIND', 'PORT', 'HOSTNAMES', 'CONTROLLER'],
    ...shown.map((e) => [e.id, e.kind, e.port !== undefined ? `${e.port}/${e.protocol ?? ''}` : e.kind === 'ingress-class' ? '80,443' : '-', e.hostnames?.join(',') ?? '*', e.controller ?? '-']),
  ]).trimEnd().split('\n')) out.push(l);
  out.push('');
  out.push('HTTP routes');
  if (rows.length === 0) out.push('  none');
  else {
    for (const l of renderTable([
      ['ENTRY', 'HOST', 'MATCH', 'ROUTE', 'BACKENDS', 'NOTE'],
      ...rows.map((r) => [
        r.entry, r.host, r.match,
        `${r.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name}${r.rule >= 0 ? `[${r.rule}]` : ''}`,
        r.action === 'forward' ? (r.backends.map((b) => `${b.service}${b.port !== undefined ? `:${b.port}` : ''}${b.subset ? `/${b.subset}` : ''}${r.backends.length > 1 ? ` w${b.weight}` : ''}`).join(' ') || '-') : r.action,
        r.note ?? '',
      ]),
    ]).trimEnd().split('\n')) out.push(l);
  }
  if (problems.length > 0) {
    out.push('');
    out.push('HTTP problems');
    for (const p of problems) out.push(`  ${p.severity}: ${p.object?.source ? `${p.object.source.file}:${p.object.source.line} ` : ''}${p.message}`);
  }
  // Each line may quote names, hosts and messages from manifests (tables are escaped per cell).
  return out.map(escapeText).join('\n') + '\n';
}
