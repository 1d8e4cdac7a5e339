/**
 * `netkit routes` within a terminal's width. The full tables (`-o wide`) print as they are when
 * they fit; otherwise each table that is too wide gets a narrower layout, the way `kubectl get`
 * keeps its default columns short and moves the rest to `-o wide`. Columns are dropped or
 * written shorter, never cut: a name is shown whole or not at all, and what was left out is
 * returned as notes for the caller to print.
 */
import type { L7RouteRow } from '../engine/l7';
import type { L7RoutesJson } from './l7-routes';
import { formatL7Section } from './l7-routes';
import { formatRoutes, routesFooter, type RouteRow } from './routes';
import { escapeText } from './text';
import { renderTable } from './table';

/** Options of {@link fitRoutes}. */
export interface FitOptions {
  /** Columns available (120 when the output is not a terminal). */
  readonly width: number;
  /** The cluster domain, whose `.svc.<domain>` suffix is left off mesh hosts in the narrow HTTP table. */
  readonly clusterDomain?: string;
}

/** The text of `netkit routes` and what the narrow layouts left out. */
export interface FittedRoutes {
  readonly text: string;
  /** One line per table that was narrowed, saying what `-o wide` adds; empty when all fit. */
  readonly notes: readonly string[];
}

/** The widest line of a text block. */
export function widest(text: string): number {
  return text.split('\n').reduce((m, l) => Math.max(m, l.length), 0);
}

/** Narrowest the PODS column gets before it is left out (a pod name and `+N more`). */
const MIN_PODS = 12;

/** `port[:nodePort]/PROTOCOL` with the port name first, as `kubectl get services` writes PORT(S). */
function compactPorts(r: RouteRow): string {
  return r.ports.map((p) => `${p.name ? `${p.name}:` : ''}${p.port}${p.nodePort !== undefined ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',') || '-';
}

/** Pod names that fit in `width` whole, then `+N more`; `N pods` when not one fits. */
function fitPods(r: RouteRow, width: number): string {
  const names = r.endpoints.pods.map((p) => `${(p.pod ?? p.ip).split('/').pop()}${p.ready ? '' : '(unready)'}`);
  if (names.length === 0) return '-';
  let shown = 0;
  let text = '';
  for (; shown < names.length; shown++) {
    const next = shown === 0 ? names[0] : `${text},${names[shown]}`;
    const rest = names.length - shown - 1;
    if ((next + (rest > 0 ? ` +${rest} more` : '')).length > width) break;
    text = next;
  }
  if (shown === 0) return `${names.length} pod${names.length === 1 ? '' : 's'}`;
  return shown < names.length ? `${text} +${names.length - shown} more` : text;
}

/**
 * The Service table in `width` columns: ports as `name:port[:nodePort]/PROTO` (target ports and
 * the NODEPORTS column only in the wide table), an ExternalName's name under EXTERNAL, and the
 * pod names that fit (the column is left out when fewer than {@link MIN_PODS} columns remain).
 */
function narrowServices(rows: readonly RouteRow[], width: number): { table: string; dropped: string[] } {
  const cells = rows.map((r) => {
    const clusterIP = r.type === 'ExternalName' ? '-' : r.headless ? 'None' : r.clusterIPs.join(',');
    const external = r.type === 'ExternalName' ? r.externalName ?? '?' : [...r.loadBalancerIPs.map((ip) => `lb:${ip}`), ...r.externalIPs.map((ip) => `ext:${ip}`)].join(',') || '-';
    const eps = r.type === 'ExternalName' ? '-' : r.endpoints.unknown ? `unknown(${r.endpoints.ready}/${r.endpoints.total} simulated)` : `${r.endpoints.ready}/${r.endpoints.total}${r.notSimulated ? '*' : ''}`;
    return [r.service, r.type, clusterIP, compactPorts(r), external, eps].map(escapeText);
  });
  const header = ['SERVICE', 'TYPE', 'CLUSTER-IP', 'PORTS', 'EXTERNAL', 'ENDPOINTS'];
  const used = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length))).reduce((s, w) => s + w + 2, 0);
  const podsWidth = width - used;
  const dropped = ['target ports', 'the NODEPORTS column'];
  if (podsWidth < MIN_PODS) {
    dropped.push('pod names');
    return { table: renderTable([header, ...cells]), dropped };
  }
  const withPods = rows.map((r, i) => [...cells[i], r.type === 'ExternalName' ? '-' : fitPods(r, podsWidth)]);
  if (rows.some((r, i) => r.type !== 'ExternalName' && withPods[i][6] !== fitPods(r, Infinity))) dropped.push('some pod names');
  return { table: renderTable([[...header, 'PODS'], ...withPods]), dropped };
}

/** Short resource names for the ROUTE column, as `kubectl get` accepts them. */
const SHORT_KIND: Readonly<Record<string, string>> = {
  Ingress: 'ing', HTTPRoute: 'httproute', GRPCRoute: 'grpcroute', TLSRoute: 'tlsroute', TCPRoute: 'tcproute', UDPRoute: 'udproute', VirtualService: 'vs',
};

/** A backend as the narrow table writes it: without the namespace when it is the route's own. */
function shortBackend(r: L7RouteRow, b: L7RouteRow['backends'][number]): string {
  const ns = r.object.namespace;
  const service = ns && b.service.startsWith(`${ns}/`) ? b.service.slice(ns.length + 1) : b.service;
  return `${service}${b.port !== undefined ? `:${b.port}` : ''}${b.subset ? `/${b.subset}` : ''}${r.backends.length > 1 ? ` w${b.weight}` : ''}`;
}

/**
 * The HTTP section in fewer columns: entry points without KIND (the id starts with it), route
 * rows grouped under their entry point, the route kind by its short name, backends one per line
 * and without their namespace when it is the route's, mesh hosts without `.svc.<domain>`.
 */
function narrowL7(section: L7RoutesJson, clusterDomain: string): string {
  const out: string[] = [];
  const used = new Set(section.routes.map((r) => r.entry));
  const shown = section.entryPoints.filter((e) => e.kind !== 'mesh' || used.has('mesh'));
  if (shown.length === 0 && section.routes.length === 0) return '';
  out.push('HTTP entry points');
  out.push(renderTable([
    ['ENTRY', 'PORT', 'HOSTNAMES', 'CONTROLLER'],
    ...shown.map((e) => [e.id, e.port !== undefined ? `${e.port}/${e.protocol ?? ''}` : e.kind === 'ingress-class' ? '80,443' : '-', e.hostnames?.join(',') ?? '*', e.controller ?? '-']),
  ]).trimEnd());
  out.push('');
  out.push('HTTP routes');
  if (section.routes.length === 0) out.push('  none');
  const suffix = `.svc.${clusterDomain}`;
  const entries = [...new Set(section.routes.map((r) => r.entry))];
  for (const entry of entries) {
    out.push(escapeText(entry));
    const table: string[][] = [['  HOST', 'MATCH', 'ROUTE', 'BACKENDS', 'NOTE']];
    for (const r of section.routes.filter((x) => x.entry === entry)) {
      const host = entry === 'mesh' && r.host.endsWith(suffix) ? r.host.slice(0, -suffix.length) : r.host;
      const route = `${SHORT_KIND[r.kind] ?? r.kind} ${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name}${r.rule >= 0 ? `[${r.rule}]` : ''}`;
      const backends = r.action === 'forward' ? r.backends.map((b) => shortBackend(r, b)) : [r.action];
      table.push([`  ${host}`, r.match, route, backends[0] ?? '-', r.note ?? '']);
      for (const more of backends.slice(1)) table.push(['', '', '', more, '']);
    }
    out.push(renderTable(table).trimEnd());
  }
  if (section.problems.length > 0) {
    out.push('');
    out.push('HTTP problems');
    for (const p of section.problems) out.push(escapeText(`  ${p.severity}: ${p.object?.source ? `${p.object.source.file}:${p.object.source.line} ` : ''}${p.message}`));
  }
  return out.join('\n') + '\n';
}

/**
 * `netkit routes` text within `opts.width` columns: each table as `-o wide` prints it when it
 * fits, else its narrow layout (see {@link narrowServices}, {@link narrowL7}); `rows` undefined
 * for the HTTP section alone (`--http`). A table whose
 * names alone are wider than `width` is still printed whole.
 */
export function fitRoutes(rows: readonly RouteRow[] | undefined, section: L7RoutesJson | undefined, opts: FitOptions): FittedRoutes {
  const notes: string[] = [];
  let services = rows ? formatRoutes(rows) : '';
  const footer = rows ? routesFooter(rows) : '';
  if (rows && rows.length > 0 && widest(services.slice(0, services.length - footer.length)) > opts.width) {
    const narrow = narrowServices(rows, opts.width);
    services = narrow.table + footer;
    notes.push(`the Service table leaves out ${narrow.dropped.join(', ')} to fit ${opts.width} columns`);
  }
  let http = section ? formatL7Section(section) : '';
  // Problems are sentences, not table rows: only the tables decide the layout.
  if (section && widest(formatL7Section({ ...section, problems: [] })) > opts.width) {
    http = narrowL7(section, opts.clusterDomain ?? 'cluster.local');
    notes.push(`the HTTP tables are grouped by entry point, with short kinds and namespaces left off, to fit ${opts.width} columns`);
  }
  return { text: services + (http && services ? '\n' : '') + http, notes };
}
