/**
 * Holding a trace (lib/engine/trace.ts) against connections made through real kube-proxy:
 * what outcome shares the trace predicts, how many connections a flow needs, and whether what
 * the connections saw agrees within a stated statistical bound. Pure functions (unit-tested in
 * judge.test.ts); run.ts does the I/O.
 *
 * Outcomes are the text a server answered (`namespace/pod`, or the address of a non-pod
 * endpoint) or a failure class: `refused` (TCP RST or ICMP port unreachable: kube-proxy's
 * REJECT, or nothing listening), `timeout` (no answer: a DROP), `unreachable` (no route).
 */
import type { Trace, TraceFailureCode } from '../../lib/engine/trace';
import type { ClusterStateView, Protocol } from '../../lib/engine/model';

/** Failure classes a client can tell apart. */
export type FailureClass = 'refused' | 'timeout' | 'unreachable';

/**
 * The class of packet-level failure each trace failure code stands for (kube-proxy's rules:
 * `pkg/proxy/nftables/proxier.go` and `pkg/proxy/iptables/proxier.go`):
 * - no usable endpoint at all: the Service is in the reject set / `-j REJECT` (ICMP port unreachable);
 * - no local endpoint under a Local traffic policy, or a source outside loadBalancerSourceRanges: dropped;
 * - pod or cluster IP from outside the cluster: no route to it;
 * - a cluster IP on a port no Service port has: rejected (nftables mode; see KNOWN_DIFFERENCES for iptables).
 */
export const FAILURE_CLASS: Readonly<Record<TraceFailureCode, FailureClass | undefined>> = {
  'no-endpoints': 'refused',
  'pods-unready': 'refused',
  'no-local-endpoints': 'timeout',
  'source-range': 'timeout',
  unreachable: 'unreachable',
  'no-such-port': 'refused',
  // Not produced for the address-based flows the suite sends.
  'unknown-source': undefined,
  nxdomain: undefined,
  'dns-outside-cluster': undefined,
  'external-name': undefined,
  'unknown-destination': undefined,
  // The data plane has no policy-enforcing CNI and its scenarios carry no NetworkPolicy.
  'policy-denied': undefined,
  // Every scenario's pods come from simulated workloads.
  'endpoints-unknown': undefined,
};

/**
 * Where real kube-proxy and the engine's trace differ by design, with the upstream behaviour that
 * causes it; the suite expects exactly the stated outcome, so a change on either side shows up.
 * Each entry is listed in the README (section "Data plane").
 */
export interface KnownDifference {
  readonly id: string;
  readonly mode: 'nftables' | 'iptables';
  readonly code: TraceFailureCode;
  /** What the trace's flow is (a predicate on the flow's kind). */
  readonly flowKind: FlowKind;
  /** The outcome real kube-proxy gives instead. */
  readonly observed: FailureClass;
  readonly upstream: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'iptables-clusterip-unknown-port',
    mode: 'iptables',
    code: 'no-such-port',
    flowKind: 'cluster-ip-wrong-port',
    observed: 'timeout',
    upstream: 'pkg/proxy/iptables/proxier.go writes rules per Service port only; a packet to a cluster IP on another port is not captured and is routed like any packet (here: onto the fabric, where nothing answers). The nftables proxier rejects it (the cluster-ips set and its reject rule).',
  },
];

/** What kind of destination a flow goes to. */
export type FlowKind = 'cluster-ip' | 'cluster-ip-wrong-port' | 'node-port' | 'load-balancer' | 'external-ip';

/** The shares of outcomes a trace predicts, and whether one client must stick to one pod. */
export interface Expectation {
  readonly shares: ReadonlyMap<string, number>;
  /** sessionAffinity ClientIP: every connection of the flow reaches the same pod. */
  readonly sticky: boolean;
  /** The trace failed with this code. */
  readonly failure?: TraceFailureCode;
  /** The known difference applied, if any. */
  readonly known?: string;
}

/** The outcome text a destination's server answers: the pod key, or the address of a non-pod endpoint. */
export function answerOf(dest: { pod?: string; ip: string }): string {
  return dest.pod ?? dest.ip;
}

/**
 * The outcome shares a trace predicts for real connections. A pod that does not declare the
 * container port the connection lands on has no server there (the suite runs one per declared
 * port, as the brief of a pod's ports says), so its share is `refused`.
 */
export function expectation(trace: Trace, state: ClusterStateView, mode: 'nftables' | 'iptables', kind: FlowKind): Expectation {
  const shares = new Map<string, number>();
  const add = (k: string, p: number): void => { if (p > 0) shares.set(k, (shares.get(k) ?? 0) + p); };
  if (!trace.ok) {
    const code = trace.failure?.code ?? 'unknown-destination';
    const known = KNOWN_DIFFERENCES.find((d) => d.mode === mode && d.code === code && d.flowKind === kind);
    const cls = known?.observed ?? FAILURE_CLASS[code];
    if (!cls) throw new Error(`trace failure ${code} has no packet-level class (${trace.failure?.message ?? ''})`);
    add(cls, 1);
    return { shares, sticky: false, failure: code, known: known?.id };
  }
  const protocol: Protocol = trace.request.protocol;
  for (const d of trace.destinations) {
    const pod = d.pod ? state.pods.get(d.pod) : undefined;
    const listens = !pod || pod.containerPorts.some((c) => c.containerPort === d.port && c.protocol === protocol);
    add(listens ? answerOf(d) : 'refused', d.probability);
  }
  add('timeout', trace.dropProbability ?? 0);
  return { shares, sticky: trace.affinity !== undefined };
}

/** Miss probability below which "every pod with a share is reached" is asserted. */
export const MISS_BOUND = 1e-6;
/** Standard deviations a count may stray from its expected value (normal approximation of the binomial). */
export const Z = 5.5;
/** Connections per flow: at least this many, more when a share is small. */
export const MIN_CONNECTIONS = 400;
/** Upper bound on connections per flow (bounded loops). */
export const MAX_CONNECTIONS = 4000;
/** Connections of a flow the trace says fails, and of a sticky flow. */
export const FAILURE_CONNECTIONS = 8;
export const STICKY_CONNECTIONS = 60;

/**
 * Connections for a flow: enough that each outcome with a share is seen with probability
 * 1 - MISS_BOUND (n >= ln(MISS_BOUND) / ln(1 - p_min)), within [MIN_CONNECTIONS, MAX_CONNECTIONS].
 */
export function connectionsFor(e: Expectation): number {
  if (e.failure) return FAILURE_CONNECTIONS;
  if (e.sticky) return STICKY_CONNECTIONS;
  const pmin = Math.min(...[...e.shares.values()].filter((p) => p < 1));
  if (!Number.isFinite(pmin)) return MIN_CONNECTIONS;
  const need = Math.ceil(Math.log(MISS_BOUND) / Math.log(1 - pmin));
  return Math.min(MAX_CONNECTIONS, Math.max(MIN_CONNECTIONS, need));
}

/** Connections per flow of a pool (see {@link poolKey}) at the least. */
export const MIN_POOLED_CONNECTIONS = 200;

/**
 * Flows whose connections may be pooled for the coverage check: those the same node's kube-proxy
 * translates by the same rule kind of the same Service port with the same expected shares (a node
 * and a pod on it to the cluster IP; the external client and a pod to one node's NodePort). The
 * endpoint choice is made by that node's rules for that Service port, whoever the client is, so
 * "every endpoint with a share is reached" is a property of the pool. Each flow is still judged
 * on its own (outcomes without a share, counts within the bound for its own n). Failing, sticky and
 * load-balancer-entry flows are not pooled (`undefined`).
 */
export function poolKey(trace: Trace, e: Expectation): string | undefined {
  if (e.failure || e.sticky || trace.route?.kind !== 'proxy') return undefined;
  const { node, rule } = trace.route;
  const shares = [...e.shares].map(([k, p]) => `${k}=${p.toFixed(6)}`).sort().join(',');
  return `${node}|${rule.kind}|${rule.service}|${rule.portName}|${rule.protocol}|${shares}`;
}

/** Connections for each of `members` pooled flows whose pool needs `n` in total: n split evenly, at least MIN_POOLED_CONNECTIONS each. */
export function pooledConnections(n: number, members: number): number {
  return Math.max(MIN_POOLED_CONNECTIONS, Math.ceil(n / Math.max(1, members)));
}

/** Connections of a probe in flight at once, when all are answered. */
export const BASE_CONCURRENCY = 48;
/** Upper bound on connections in flight at once (bounded loops). */
export const MAX_CONCURRENCY = 256;

/**
 * Connections in flight for a flow: a connection the trace expects to time out holds its slot
 * for the whole timeout while costing nothing, so the expected timeout share raises the number
 * in flight, keeping about BASE_CONCURRENCY answered connections in flight (at most MAX_CONCURRENCY).
 */
export function concurrencyFor(e: Expectation): number {
  const answered = 1 - (e.shares.get('timeout') ?? 0);
  return Math.min(MAX_CONCURRENCY, Math.ceil(BASE_CONCURRENCY / Math.max(answered, BASE_CONCURRENCY / MAX_CONCURRENCY)));
}

/** Observed outcome counts: answers and failure classes in one map. */
export function outcomes(observed: { answers: Readonly<Record<string, number>>; errors: Readonly<Record<string, number>> }): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(observed.answers)) out.set(k, (out.get(k) ?? 0) + v);
  for (const [k, v] of Object.entries(observed.errors)) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

/**
 * Problems with a flow's observed outcomes (empty when they agree with the expectation):
 * an outcome without a share; an outcome with a share never seen although its miss
 * probability is below MISS_BOUND; a count outside N*p +- (Z*sd + 1); under affinity, more than
 * one pod, or a pod without a share.
 */
export function judge(e: Expectation, seen: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  const n = [...seen.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return ['no connection was made'];
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  for (const [k, c] of seen) {
    if (!e.shares.has(k)) problems.push(`${k}: ${c} of ${n} connections, the engine gives it no share`);
  }
  if (e.sticky) {
    const hit = [...seen.keys()];
    if (hit.length !== 1) problems.push(`sessionAffinity ClientIP: one client reached ${hit.length} outcomes (${hit.join(', ')}), expected one pod`);
    return problems;
  }
  for (const [k, p] of e.shares) {
    const c = seen.get(k) ?? 0;
    if (c === 0 && (1 - p) ** n <= MISS_BOUND) {
      problems.push(`${k}: never reached in ${n} connections, the engine gives it ${pct(p)}`);
      continue;
    }
    const sd = Math.sqrt(n * p * (1 - p));
    if (Math.abs(c - n * p) > Z * sd + 1) problems.push(`${k}: ${c} of ${n} connections (${pct(c / n)}), the engine gives ${pct(p)} (bound +-${Math.ceil(Z * sd + 1)})`);
  }
  return problems;
}
