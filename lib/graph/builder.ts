/**
 * Collects nodes, edges and traces from the graph's sources (L4 now, L7 when present), then
 * places the validator's findings on the nodes whose objects they concern.
 */
import type { ClusterStateView } from '../engine/model';
import { refKey } from '../manifest/objects';
import { SEVERITY_RANK, type RuleSeverity, type Violation } from '../rules/types';
import {
  GRAPH_SCHEMA, type GraphEdge, type GraphFinding, type GraphNode, type GraphNodeKind, type GraphPort, type GraphTrace,
  type GraphSummary, type RoutingGraph,
} from './model';

/**
 * A node as a source adds it: a {@link GraphNode} without what the builder fills in (traces,
 * findings, severity); `refs` and `details` may be left out.
 */
export type NodeSpec = Omit<GraphNode, 'refs' | 'details' | 'ports' | 'traces' | 'findings' | 'severity'> & {
  readonly refs?: GraphNode['refs'];
  readonly details?: GraphNode['details'];
  /** Service ports: `id` and `label` (traces and findings are attached later). */
  readonly ports?: readonly { readonly id: string; readonly label: string }[];
};

interface PortDraft {
  readonly id: string;
  readonly label: string;
  readonly traces: string[];
  readonly findings: number[];
}

interface NodeDraft {
  readonly spec: NodeSpec;
  readonly traces: string[];
  readonly findings: number[];
  readonly ports: PortDraft[];
}

/** Violations whose `path` starts with `spec.ports[N]` concern port N of a Service. */
const SERVICE_PORT_PATH = /^spec\.ports\[(\d+)\]/;

/**
 * Mutable graph under construction. Sources call {@link addNode}, {@link addEdge} and
 * {@link addTrace}; {@link finish} attaches findings and returns the immutable graph.
 */
export class GraphBuilder {
  private readonly nodes = new Map<string, NodeDraft>();
  private readonly ports = new Map<string, PortDraft>();
  private readonly edges: GraphEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly traces = new Map<string, GraphTrace>();
  /** refKey -> node ids standing for that object. */
  private readonly byRef = new Map<string, string[]>();
  private denied = { pairs: 0, drawn: 0 };

  constructor(readonly state: ClusterStateView) {}

  /** Adds a node; a second node with the same id is ignored (the first wins). */
  addNode(spec: NodeSpec): void {
    if (this.nodes.has(spec.id)) return;
    const ports = (spec.ports ?? []).map((p): PortDraft => ({ id: p.id, label: p.label, traces: [], findings: [] }));
    this.nodes.set(spec.id, { spec, traces: [], findings: [], ports });
    for (const p of ports) this.ports.set(p.id, p);
    for (const ref of spec.refs ?? []) {
      const key = refKey(ref);
      const list = this.byRef.get(key) ?? [];
      list.push(spec.id);
      this.byRef.set(key, list);
    }
  }

  /** True when a node with this id was added. */
  hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds an edge between two added nodes (duplicates are dropped). */
  addEdge(edge: GraphEdge): void {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.toPort ?? ''}\u0000${edge.kind}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }

  /** Adds a trace and makes it the click target of `owner` (a node or port id). */
  addTrace(owner: string, trace: GraphTrace): void {
    if (!this.traces.has(trace.id)) this.traces.set(trace.id, trace);
    const target = this.ports.get(owner) ?? this.nodes.get(owner);
    if (target && !target.traces.includes(trace.id)) target.traces.push(trace.id);
  }

  /** Records how many denied pairs the policy source found and drew (for the summary). */
  countDenied(pairs: number, drawn: number): void {
    this.denied = { pairs: this.denied.pairs + pairs, drawn: this.denied.drawn + drawn };
  }

  /** Places `violations` on nodes (or Service ports) and returns the finished graph. */
  finish(violations: readonly Violation[] = []): RoutingGraph {
    const findings = [...violations].sort(compareViolations).map((v, index): GraphFinding => {
      const targets = this.targetsOf(v);
      for (const t of targets) (this.ports.get(t) ?? this.nodes.get(t))?.findings.push(index);
      return {
        ruleId: v.ruleId, severity: v.severity, message: v.message, fix: v.fix, object: v.object, path: v.path,
        ...(v.source ? { source: v.source } : {}),
        ...(v.constructPath !== undefined ? { constructPath: v.constructPath } : {}),
        targets,
      };
    });
    const severityOf = (indexes: readonly number[]): RuleSeverity | undefined => worst(indexes.map((i) => findings[i].severity));
    const nodes = [...this.nodes.values()].map((d): GraphNode => {
      const ports = d.ports.map((p): GraphPort => ({
        id: p.id, label: p.label, traces: p.traces, findings: p.findings, ...optional('severity', severityOf(p.findings)),
      }));
      const s = d.spec;
      return {
        id: s.id, kind: s.kind, ...optional('layer', s.layer), namespace: s.namespace, label: s.label,
        ...optional('sublabel', s.sublabel), refs: s.refs ?? [], details: s.details ?? [],
        ...optional('clusterNode', s.clusterNode), ...optional('ready', s.ready),
        ...(s.kind === 'service' ? { ports } : {}),
        traces: d.traces, findings: d.findings,
        ...optional('severity', worst([severityOf(d.findings), ...ports.map((p) => p.severity)])),
      };
    });
    const namespaces = [...new Set(nodes.map((n) => n.namespace))].sort();
    return {
      schema: GRAPH_SCHEMA,
      namespaces,
      clusterNodes: [...this.state.nodes.values()].sort((a, b) => cmp(a.name, b.name)).map((n) => ({ name: n.name, zone: n.zone, ready: n.ready })),
      nodes,
      edges: this.edges.filter((e) => this.nodes.has(e.from) && this.nodes.has(e.to)),
      findings,
      traces: [...this.traces.values()],
      summary: summarizeGraph(namespaces, nodes, findings, this.denied),
    };
  }

  /** Node (or Service port) ids a violation concerns. */
  private targetsOf(v: Violation): string[] {
    const ids = this.byRef.get(refKey(v.object)) ?? [];
    const m = v.object.kind === 'Service' ? SERVICE_PORT_PATH.exec(v.path) : null;
    if (!m) return [...ids];
    return ids.map((id) => {
      const port = `${id}#${m[1]}`;
      return this.ports.has(port) ? port : id;
    });
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The most severe of some severities. */
export function worst(list: readonly (RuleSeverity | undefined)[]): RuleSeverity | undefined {
  let out: RuleSeverity | undefined;
  for (const s of list) if (s !== undefined && (out === undefined || SEVERITY_RANK[s] > SEVERITY_RANK[out])) out = s;
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors first, then rule id, object and path, so the problems list reads worst-first. */
function compareViolations(a: Violation, b: Violation): number {
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  return cmp(a.ruleId, b.ruleId) || cmp(refKey(a.object), refKey(b.object)) || cmp(a.path, b.path);
}

/** The counts of a graph's header and CLI summary line, from its bands, nodes and findings. */
export function summarizeGraph(namespaces: readonly string[], nodes: readonly GraphNode[], findings: readonly GraphFinding[], denied: GraphSummary['denied']): GraphSummary {
  const count = (kind: GraphNodeKind): number => nodes.filter((n) => n.kind === kind).length;
  const bySeverity = (s: RuleSeverity): number => findings.filter((f) => f.severity === s).length;
  return {
    namespaces: namespaces.filter((n) => n !== '').length,
    services: count('service'),
    endpointSlices: count('slice'),
    pods: nodes.filter((n) => n.id.startsWith('pod:')).length,
    entryPoints: count('entry'),
    routes: count('route'),
    findings: { error: bySeverity('error'), warning: bySeverity('warning'), info: bySeverity('info') },
    denied: { ...denied },
  };
}
