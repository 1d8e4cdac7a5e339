/**
 * `netkit graph -n NS`: the part of a routing graph one namespace's readers need. Every object
 * is still simulated (a route in another namespace can lead to this one's Services); the filter
 * only chooses what is drawn, as `netkit reach -n` keeps connections with one end in the namespace.
 */
import { summarizeGraph } from './builder';
import type { GraphEdge, GraphFinding, GraphNode, RoutingGraph } from './model';

/**
 * The graph cut down to namespace `ns`: its nodes, every node upstream of them (the entry points
 * and routes, wherever they live, that lead to its Services), denied edges with one end in the
 * namespace (and their other end), the findings drawn on what is kept or about objects in the
 * namespace, and the traces those nodes start. At most `deniedLimit` denied edges are drawn; the
 * summary counts every one found (build the graph without a denied limit for exact counts).
 */
export function graphForNamespace(graph: RoutingGraph, ns: string, deniedLimit = Number.POSITIVE_INFINITY): RoutingGraph {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const kept = new Set(graph.nodes.filter((n) => n.namespace === ns).map((n) => n.id));
  const routing = graph.edges.filter((e) => e.kind !== 'denied');
  // Walk upstream until nothing new: entry -> route -> Service chains of any length.
  for (let grew = true; grew;) {
    grew = false;
    for (const e of routing) {
      if (kept.has(e.to) && !kept.has(e.from)) {
        kept.add(e.from);
        grew = true;
      }
    }
  }
  const denied = graph.edges.filter((e) => e.kind === 'denied' && (byId.get(e.from)?.namespace === ns || byId.get(e.to)?.namespace === ns));
  const drawnDenied = denied.slice(0, deniedLimit);
  for (const e of drawnDenied) {
    kept.add(e.from);
    kept.add(e.to);
  }

  const portIds = new Set<string>();
  for (const id of kept) for (const p of byId.get(id)?.ports ?? []) portIds.add(p.id);
  const keepFinding = (f: GraphFinding): boolean => f.object.namespace === ns || f.targets.some((t) => kept.has(t) || portIds.has(t));
  const renumber = new Map<number, number>();
  const findings: GraphFinding[] = [];
  graph.findings.forEach((f, i) => {
    if (!keepFinding(f)) return;
    renumber.set(i, findings.length);
    findings.push({ ...f, targets: f.targets.filter((t) => kept.has(t) || portIds.has(t)) });
  });
  const remap = (indexes: readonly number[]): number[] => indexes.flatMap((i) => (renumber.has(i) ? [renumber.get(i) as number] : []));

  const nodes: GraphNode[] = graph.nodes.filter((n) => kept.has(n.id)).map((n) => ({
    ...n,
    findings: remap(n.findings),
    ...(n.ports ? { ports: n.ports.map((p) => ({ ...p, findings: remap(p.findings) })) } : {}),
  }));
  const traceIds = new Set(nodes.flatMap((n) => [...n.traces, ...(n.ports ?? []).flatMap((p) => p.traces)]));
  const edges: GraphEdge[] = [...routing.filter((e) => kept.has(e.from) && kept.has(e.to)), ...drawnDenied];
  const namespaces = graph.namespaces.filter((band) => nodes.some((n) => n.namespace === band));
  return {
    ...graph,
    namespaces,
    nodes,
    edges,
    findings,
    traces: graph.traces.filter((t) => traceIds.has(t.id)),
    summary: summarizeGraph(namespaces, nodes, findings, { pairs: denied.length, drawn: drawnDenied.length }),
  };
}
