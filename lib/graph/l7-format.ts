/**
 * Text rendering of an {@link L7Trace} in the style of `netkit trace` (a label column, then the
 * fact): the request, the entry point, every decision, the routes that lost and why, each
 * backend with its share, and the L4 trace of each backend indented under it.
 */
import { formatTrace } from '../cli/trace-format';
import type { L7Trace } from '../engine/l7/types';

function pct(p: number): string {
  const v = p * 100;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

function line(label: string, text: string): string {
  return `${label.padEnd(8)} ${text}`;
}

/** A multi-line description of an HTTP request's route. */
export function formatL7Trace(t: L7Trace): string {
  const r = t.request;
  const port = (r.scheme === 'http' && r.port === 80) || (r.scheme === 'https' && r.port === 443) ? '' : `:${r.port}`;
  const query = Object.entries(r.query).map(([k, v]) => `${k}=${v}`).join('&');
  const out: string[] = [line('request', `${r.method} ${r.scheme}://${r.host}${port}${r.path}${query ? `?${query}` : ''} from ${r.from}`)];
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'host') out.push(line('header', `${k}: ${v}`));
  if (t.entry && !t.steps.some((s) => s.stage === 'entry')) out.push(line('entry', t.entry.id));
  // Backends are printed below with their L4 traces; the steps' one-line summaries would repeat them.
  for (const s of t.steps) if (s.stage !== 'l4' && s.stage !== 'backend') out.push(line(s.stage, s.message));
  for (const c of t.candidates) out.push(line('skipped', `${c.route}: ${c.match} (${c.lostBecause})`));
  if (t.response) out.push(line('answer', `${t.response.status}${t.response.location ? ` Location: ${t.response.location}` : ''}${t.response.body ? ` ${t.response.body}` : ''}`));
  if (t.upstream) out.push(line('upstream', `Host ${t.upstream.host}, path ${t.upstream.path}`));
  for (const [k, v] of Object.entries(t.timeouts ?? {})) out.push(line('timeout', `${k} ${v}`));
  for (const b of t.backends) {
    const port = b.port !== undefined ? `:${b.port}` : '';
    const subset = b.subset ? ` subset ${b.subset}` : '';
    const state = b.invalid ? `  invalid: ${b.invalid} (answers ${b.status ?? 500})` : '';
    out.push(line('backend', `${b.service}${port}${subset}  weight ${b.weight}  ${pct(b.probability)}${state}`));
    if (b.l4) out.push(...formatTrace(b.l4).trimEnd().split('\n').map((l) => `    ${l}`));
  }
  if (t.errorProbability > 0 && t.ok) out.push(line('errors', `${pct(t.errorProbability)} of requests get an error status`));
  for (const a of t.ambiguities) out.push(line('note', `order-dependent: ${a}`));
  out.push(t.ok ? 'result OK' : `result FAIL (${t.failure?.code}${t.failure?.status ? `, HTTP ${t.failure.status}` : ''}): ${t.failure?.message}`);
  return `${out.join('\n')}\n`;
}
