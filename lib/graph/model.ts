/**
 * The routing graph: what `netkit graph` draws and `netkit graph -o json` prints. Plain data
 * (JSON-serialisable, no methods), deterministic for the same input.
 *
 * Columns, left to right: entry points (L4: NodePort, LoadBalancer, externalIPs; L7: Ingress
 * controllers, Gateway listeners, ...) -> routes (L7 rules) -> Services (with their ports) ->
 * EndpointSlices -> pods (grouped by node). Validator findings hang on the nodes whose objects
 * they concern; every clickable route carries a precomputed trace.
 */
import type { ObjectRef, SourceLocation } from '../engine/model';
import type { RuleSeverity } from '../rules/types';

/** Schema tag of {@link RoutingGraph}; bumped on incompatible changes. */
export const GRAPH_SCHEMA = 'netkit.io/graph/v1';

/** The columns of the graph, in drawing order. */
export type GraphNodeKind = 'entry' | 'route' | 'service' | 'slice' | 'pod';

/** Column order of {@link GraphNodeKind}. */
export const GRAPH_COLUMNS: readonly GraphNodeKind[] = ['entry', 'route', 'service', 'slice', 'pod'];

/** A port of a Service node: the anchor entry points and routes point at, and a click target. */
export interface GraphPort {
  /** `<service node id>#<index in spec.ports>`. */
  readonly id: string;
  /** e.g. `http 80/TCP -> http` (`-> 30080` nodePort appended). */
  readonly label: string;
  /** Ids of traces (in {@link RoutingGraph.traces}) started by clicking the port. */
  readonly traces: readonly string[];
  /** Indexes into {@link RoutingGraph.findings} that name this port (`spec.ports[i]...`). */
  readonly findings: readonly number[];
  /** Worst severity among {@link findings}. */
  readonly severity?: RuleSeverity;
}

/** One box of the graph. */
export interface GraphNode {
  /**
   * Stable id: `entry:...`, `route:...`, `svc:NS/NAME`, `slice:NS/NAME`, `pod:NS/NAME`,
   * `addr:IP` (an endpoint address that is no pod of the cluster).
   */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** L4 (kube-proxy) or L7 (HTTP routing) for entry points and routes. */
  readonly layer?: 'L4' | 'L7';
  /** Namespace band the node is drawn in (`''` for cluster-scoped entry points). */
  readonly namespace: string;
  /** Main text, e.g. the Service name. */
  readonly label: string;
  /** Second line, e.g. `ClusterIP 10.96.0.12`. */
  readonly sublabel?: string;
  /** The Kubernetes objects the node stands for (findings on them attach to it). */
  readonly refs: readonly ObjectRef[];
  /** Key/value rows shown in the side panel. */
  readonly details: readonly (readonly [string, string])[];
  /** Pods: the cluster node the pod runs on (the group it is drawn in). */
  readonly clusterNode?: string;
  /** Pods and endpoint addresses: ready (false draws it greyed). */
  readonly ready?: boolean;
  /** Services: their ports, in `spec.ports` order. */
  readonly ports?: readonly GraphPort[];
  /** Ids of traces shown when the node is clicked (entry points, routes, ExternalName Services). */
  readonly traces: readonly string[];
  /** Indexes into {@link RoutingGraph.findings} on this node (not counting its ports'). */
  readonly findings: readonly number[];
  /** Worst severity of the node's and its ports' findings. */
  readonly severity?: RuleSeverity;
}

/**
 * What an edge means. `denied` is no route but its absence: a workload that routing lets reach
 * a Service port, whose connection policy drops ({@link GraphEdge.denial} says why).
 */
export type GraphEdgeKind = 'entry' | 'route' | 'backend' | 'slice' | 'endpoint' | 'denied';

/**
 * Why policy drops a workload's connection to a Service port: the verdict of the reachability
 * model (`lib/engine/policy`, the one `netkit reach` and `netkit trace` use) for the workload's
 * first pod to each destination workload behind the port, after kube-proxy's DNAT.
 */
export interface GraphDenial {
  /** The source workload, `namespace/name` (its first pod by name is the edge's `from`). */
  readonly source: string;
  /** The source workload's kind (Deployment, StatefulSet, Pod, ...). */
  readonly sourceKind: string;
  /** The Service port as dialled: `ns/name:port/protocol`. */
  readonly service: string;
  /** Destination workloads behind the port that policy denies, and how many there are. */
  readonly deniedDestinations: readonly string[];
  readonly destinations: number;
  /** Which side drops it: the source's egress, the destination's ingress, or mesh authorization. */
  readonly direction: 'egress' | 'ingress' | 'mesh';
  /** The port the destination receives on (targetPort after DNAT). */
  readonly port: number;
  /** One sentence, as `netkit trace` words it (isolating policies and the nearest miss). */
  readonly reason: string;
  /** Policies that isolate the denying side (`NetworkPolicy ns/name`, ...). */
  readonly isolatedBy: readonly string[];
  /** The rule that came closest to admitting it, and what differed. */
  readonly nearMiss?: string;
  /** The rule that denied it outright (cluster-scoped Deny, mesh DENY), when one did. */
  readonly rule?: string;
  /** Policy inputs the model read only in part that could change this answer. */
  readonly unmodelled: readonly string[];
}

/** A directed edge `from -> to` (optionally into one port of a Service). */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** A {@link GraphPort.id} of `to` when the edge targets one Service port. */
  readonly toPort?: string;
  readonly kind: GraphEdgeKind;
  /** Short text, e.g. the slice's ports or a route's weight. */
  readonly label?: string;
  /** Endpoint edges: the endpoint's ready condition (false draws the edge dashed). */
  readonly ready?: boolean;
  /** Denied edges: the policy verdict. */
  readonly denial?: GraphDenial;
}

/** A validator finding, placed on the graph. */
export interface GraphFinding {
  readonly ruleId: string;
  readonly severity: RuleSeverity;
  readonly message: string;
  readonly fix: string;
  readonly object: ObjectRef;
  /** JSON path inside the object. */
  readonly path: string;
  readonly source?: SourceLocation;
  readonly constructPath?: string;
  /** Node and port ids the finding is drawn on; empty when its object is not drawn. */
  readonly targets: readonly string[];
}

/** One precomputed trace: what a click on an entry point, a route or a Service port shows. */
export interface GraphTrace {
  readonly id: string;
  /** e.g. `external 203.0.113.1 -> 192.0.2.1:80/TCP`. */
  readonly title: string;
  /** L4 (`connect()`) or L7 (HTTP request) trace. */
  readonly layer: 'L4' | 'L7';
  readonly ok: boolean;
  /** The trace as `netkit trace` prints it. */
  readonly text: string;
  /** Failure code and message when {@link ok} is false. */
  readonly failure?: { readonly code: string; readonly message: string };
  /** Pods (`namespace/name`) or addresses the connection ends at. */
  readonly destinations: readonly string[];
  /** Node, port and edge endpoints to highlight: the path the traffic takes. */
  readonly highlight: readonly string[];
}

/** A node of the simulated cluster (the pod column's groups). */
export interface GraphClusterNode {
  readonly name: string;
  readonly zone: string;
  readonly ready: boolean;
}

/** Counts for the page header and the CLI summary. */
export interface GraphSummary {
  readonly namespaces: number;
  readonly services: number;
  readonly endpointSlices: number;
  readonly pods: number;
  readonly entryPoints: number;
  readonly routes: number;
  readonly findings: Readonly<Record<RuleSeverity, number>>;
  /**
   * Workload -> Service port pairs that routing allows and policy denies: how many were found,
   * and how many are drawn as denied edges (the rest is over the graph's limit, see
   * `GraphFromObjectsOptions.deniedLimit`; `netkit reach` lists every pair).
   */
  readonly denied: { readonly pairs: number; readonly drawn: number };
}

/** The whole graph. */
export interface RoutingGraph {
  readonly schema: typeof GRAPH_SCHEMA;
  /** Namespace bands in drawing order (`''`, cluster-scoped entry points, first when present). */
  readonly namespaces: readonly string[];
  readonly clusterNodes: readonly GraphClusterNode[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Findings sorted by severity (errors first), then rule id and object. */
  readonly findings: readonly GraphFinding[];
  readonly traces: readonly GraphTrace[];
  readonly summary: GraphSummary;
}
