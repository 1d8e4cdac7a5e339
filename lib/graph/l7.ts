/**
 * The L7 part of the graph, from the HTTP routing model (`lib/engine/l7`): entry points
 * (Ingress classes, Gateway listeners, Istio gateway servers, the mesh) -> one route box per
 * host + match row -> the Service ports its backends name. Each route carries the trace of the
 * engine's sample request for the row (`L7Model.sampleRequest`: built from the row's match, sent
 * through its own entry point); when every such request ends up elsewhere (a shadowed path, a
 * more specific route) the trace says so.
 *
 * Entry points are drawn once per namespace their routes live in, so edges stay inside a
 * namespace band; an entry point without routes is drawn in its own namespace.
 */
import { L7Model } from '../engine/l7/model';
import type { EntryPointInfo, L7RouteRow, L7Trace } from '../engine/l7/types';
import type { ClusterStateView } from '../engine/model';
import type { GraphBuilder } from './builder';
import { formatL7Trace } from '../report/l7-format';
import type { GraphTrace } from './model';
import { highlightOf, ids } from './traces';

function entryNamespace(ep: EntryPointInfo): string {
  return ep.object?.namespace ?? '';
}

function entryLabel(ep: EntryPointInfo): { label: string; sublabel: string } {
  switch (ep.kind) {
    case 'ingress-class': return { label: `Ingress class ${ep.name}`, sublabel: ep.controller ?? 'no controller' };
    case 'gateway-listener': return { label: `${ep.name} ${ep.listener ?? ''}`.trim(), sublabel: `Gateway ${ep.protocol ?? ''} :${ep.port ?? '?'}${ep.hostnames?.length ? ` ${ep.hostnames.join(',')}` : ''}` };
    case 'istio-gateway': return { label: `${ep.name} ${ep.listener ?? ''}`.trim(), sublabel: `Istio gateway ${ep.protocol ?? ''} :${ep.port ?? '?'}` };
    default: return { label: 'mesh', sublabel: 'sidecars route by destination' };
  }
}

/** The Service port a backend names (by number or name), when it is a Service of the cluster. */
function backendPort(state: ClusterStateView, service: string, port: number | string | undefined): { svc: string; port?: string } | undefined {
  const svc = state.services.get(service);
  if (!svc) return undefined;
  const index = port === undefined
    ? (svc.ports.length === 1 ? 0 : -1)
    : svc.ports.findIndex((p) => (typeof port === 'number' ? p.port === port : p.name === port));
  return { svc: ids.service(service), ...(index >= 0 ? { port: ids.port(service, index) } : {}) };
}

/** The graph ids an L7 trace passes: its backends' Service ports and everything their L4 traces reach. */
function l7Highlight(t: L7Trace, state: ClusterStateView): string[] {
  const out: string[] = [];
  for (const b of t.backends) {
    if (b.probability <= 0) continue;
    const target = backendPort(state, b.service, b.port);
    if (target) out.push(target.svc, ...(target.port ? [target.port] : []));
    if (b.l4) out.push(...highlightOf(b.l4, state));
  }
  return out;
}

/** The graph source for the L7 model of a cluster (`Cluster` carries the objects it needs). */
export function l7Source(model: L7Model): (b: GraphBuilder) => void {
  return (b) => addL7(b, model);
}

/** Adds entry points, routes, edges and traces from `model` to `b`. */
export function addL7(b: GraphBuilder, model: L7Model): void {
  const state = b.state;
  const entries = new Map(model.entryPoints().map((e) => [e.id, e]));
  const rows = [...model.routes()];
  const entryIn = (ep: EntryPointInfo, namespace: string): string => {
    const id = `entry:l7:${ep.id}@${namespace}`;
    if (!b.hasNode(id)) {
      const { label, sublabel } = entryLabel(ep);
      const details: [string, string][] = [['entry point', ep.id], ['kind', ep.kind]];
      if (ep.controller) details.push(['controller', ep.controller]);
      if (ep.port !== undefined) details.push(['port', `${ep.port}${ep.protocol ? ` ${ep.protocol}` : ''}`]);
      if (ep.hostnames?.length) details.push(['hostnames', ep.hostnames.join(', ')]);
      if (ep.isDefault) details.push(['default class', 'true']);
      if (ep.object?.source) details.push(['source', `${ep.object.source.file}:${ep.object.source.line}`]);
      b.addNode({ id, kind: 'entry', layer: 'L7', namespace, label, sublabel, refs: ep.object ? [ep.object] : [], details });
    }
    return id;
  };

  const routeCount = new Map<string, number>();
  for (const row of rows) {
    const ep = entries.get(row.entry);
    const namespace = row.object.namespace ?? '';
    const base = `route:${row.kind}/${namespace}/${row.object.name}#${row.rule}${row.matchIndex !== undefined ? `.${row.matchIndex}` : ''}@${row.host}|${row.match}`;
    const seen = routeCount.get(base) ?? 0;
    routeCount.set(base, seen + 1);
    const id = seen === 0 ? base : `${base}~${seen}`;
    const backends = row.backends.map((x) => `${x.service}${x.port !== undefined ? `:${x.port}` : ''}${x.subset ? ` subset ${x.subset}` : ''}${row.backends.length > 1 ? ` weight ${x.weight}` : ''}`);
    const details: [string, string][] = [
      [row.kind, `${namespace}/${row.object.name}${row.rule >= 0 ? ` rule ${row.rule}` : ' defaultBackend'}`],
      ['entry point', row.entry], ['host', row.host], ['match', row.match],
      ['backends', backends.join(', ') || '-'], ['action', row.action],
    ];
    if (row.note) details.push(['note', row.note]);
    if (row.object.source) details.push(['source', `${row.object.source.file}:${row.object.source.line}`]);
    b.addNode({
      // Host on top, then the match and the object (cut in the middle on the box, whole in the panel).
      id, kind: 'route', layer: 'L7', namespace, label: row.host,
      sublabel: `${row.match}${row.action !== 'forward' ? ` (${row.action})` : ''} · ${row.kind} ${row.object.name}`, refs: [row.object], details,
    });
    if (ep) b.addEdge({ from: entryIn(ep, namespace), to: id, kind: 'route' });
    for (const x of row.backends) {
      const target = backendPort(state, x.service, x.port);
      if (target) b.addEdge({ from: id, to: target.svc, ...(target.port ? { toPort: target.port } : {}), kind: 'backend', ...(row.backends.length > 1 ? { label: `weight ${x.weight}` } : {}) });
    }
    b.addTrace(id, traceRow(model, row, id, ep ? `entry:l7:${ep.id}@${namespace}` : undefined));
  }
  // Entry points no route uses still show, in their own namespace (a listener nothing attached to).
  for (const ep of entries.values()) {
    if (ep.kind === 'mesh') continue;
    if (!rows.some((r) => r.entry === ep.id)) entryIn(ep, entryNamespace(ep));
  }
}

function traceRow(model: L7Model, row: L7RouteRow, routeId: string, entryId: string | undefined): GraphTrace {
  const { request, trace: t, lands, exact } = model.sampleRequest(row);
  const title = `${t.request.method} ${request.url} via ${row.entry}`;
  const notes: string[] = [];
  if (!exact) notes.push('note     this row\'s match has conditions a sample request cannot be built for (regular expressions, source labels); they are left out');
  if (!lands && t.route) notes.push(`note     this sample request is taken by ${t.route.kind} ${t.route.object?.namespace ?? ''}/${t.route.object?.name ?? ''} rule ${t.route.rule}, not by this row`);
  const text = `${notes.map((n) => `${n}\n`).join('')}${formatL7Trace(t)}`;
  return {
    id: `trace:${routeId}`, title, layer: 'L7', ok: t.ok, text,
    ...(t.failure ? { failure: { code: t.failure.code, message: t.failure.message } } : {}),
    destinations: [...new Set(t.backends.flatMap((x) => (x.probability > 0 && x.l4 ? x.pods ?? x.l4.destinations.map((d) => d.pod ?? d.ip) : [])))],
    highlight: [...(entryId ? [entryId] : []), routeId, ...l7Highlight(t, model.state)],
  };
}
