/**
 * Rendering of a connectivity matrix ({@link ReachMatrix}) for `netkit reach`: text, JSON,
 * Markdown, CSV and Graphviz DOT. Connections are grouped per source/destination pair as
 * "TCP 7070,8080", the way netpol-analyzer's `list` prints them, so the outputs can be compared.
 */
import type { ReachCell, ReachMatrix } from '../engine/policy/matrix';
import { explainVerdict } from './policy';

/** Output formats of `netkit reach`. */
export type ReachFormat = 'text' | 'json' | 'md' | 'csv' | 'dot';

interface Pair {
  readonly from: string;
  readonly to: string;
  readonly allowed: ReachCell[];
  readonly denied: ReachCell[];
}

function pairs(m: ReachMatrix): Pair[] {
  const map = new Map<string, Pair>();
  for (const c of m.cells) {
    const k = `${c.from}\u0000${c.to}`;
    let p = map.get(k);
    if (!p) {
      p = { from: c.from, to: c.to, allowed: [], denied: [] };
      map.set(k, p);
    }
    (c.allowed ? p.allowed : p.denied).push(c);
  }
  return [...map.values()];
}

/** `TCP 7070,8080;UDP 53` */
export function portList(cells: readonly ReachCell[]): string {
  const byProto = new Map<string, number[]>();
  for (const c of cells) byProto.set(c.protocol, [...(byProto.get(c.protocol) ?? []), c.port]);
  return [...byProto.entries()].map(([p, ports]) => `${p} ${[...new Set(ports)].sort((a, b) => a - b).join(',')}`).join(';');
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function dotId(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Render the matrix. `explain` adds each cell's reasons (text) — the cells must carry verdicts. */
export function renderReach(m: ReachMatrix, format: ReachFormat, explain = false): string {
  const ps = pairs(m);
  switch (format) {
    case 'json':
      return `${JSON.stringify({
        workloads: m.workloads,
        connections: m.cells.map((c) => ({ from: c.from, to: c.to, port: c.port, protocol: c.protocol, allowed: c.allowed, ...(c.verdict ? { verdict: c.verdict } : {}) })),
        withoutPorts: m.withoutPorts,
        unmodelled: m.unmodelled,
      }, null, 2)}\n`;
    case 'csv': {
      const rows = ['src,dst,port,protocol,allowed'];
      for (const c of m.cells) rows.push([csvField(c.from), csvField(c.to), String(c.port), c.protocol, c.allowed ? 'true' : 'false'].join(','));
      return `${rows.join('\n')}\n`;
    }
    case 'md': {
      const rows = ['| src | dst | allowed | denied |', '|-----|-----|---------|--------|'];
      for (const p of ps) rows.push(`| ${p.from} | ${p.to} | ${portList(p.allowed) || '-'} | ${portList(p.denied) || '-'} |`);
      return `${rows.join('\n')}\n`;
    }
    case 'dot': {
      const lines = ['digraph reach {', '  rankdir=LR;', '  node [shape=box, fontname="sans-serif"];'];
      for (const w of m.workloads) lines.push(`  ${dotId(w.id)};`);
      for (const p of ps) {
        if (p.allowed.length) lines.push(`  ${dotId(p.from)} -> ${dotId(p.to)} [label=${dotId(portList(p.allowed))}, color="darkgreen"];`);
        if (p.denied.length) lines.push(`  ${dotId(p.from)} -> ${dotId(p.to)} [label=${dotId(portList(p.denied))}, color="red", style="dashed", fontcolor="red"];`);
      }
      lines.push('}');
      return `${lines.join('\n')}\n`;
    }
    case 'text': {
      const out: string[] = [];
      for (const p of ps) {
        if (p.allowed.length) out.push(`${p.from} => ${p.to} : ${portList(p.allowed)}`);
        if (p.denied.length && !explain) out.push(`${p.from} =X ${p.to} : ${portList(p.denied)}`);
        if (explain) {
          for (const c of [...p.allowed, ...p.denied]) {
            if (!c.allowed) out.push(`${p.from} =X ${p.to} : ${c.protocol} ${c.port} DENIED`);
            for (const line of c.verdict ? explainVerdict(c.verdict) : []) out.push(`    ${c.protocol} ${c.port}  ${line}`);
          }
        }
      }
      const allowed = m.cells.filter((c) => c.allowed).length;
      out.push('');
      out.push(`${m.workloads.length} workloads, ${m.cells.length} connections probed (declared ports): ${allowed} allowed, ${m.cells.length - allowed} denied`);
      if (m.withoutPorts.length) out.push(`no declared port (not probed as destinations): ${m.withoutPorts.join(', ')}`);
      for (const u of m.unmodelled) out.push(`not simulated: ${u}`);
      return `${out.join('\n')}\n`;
    }
  }
}
