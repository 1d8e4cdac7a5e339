/**
 * The trace API: "where does a connection from X to Y go?" answered from the simulated cluster,
 * through the same DNS ({@link DnsModel}) and kube-proxy ({@link ProxyModel}) models the
 * validator uses. Load balancing is reported as a distribution, never a random pick.
 */
import type { ClusterStateView, CoverageItem, NodeInfo, PodInfo, Protocol, ServiceInfo, ServicePortInfo } from './model';
import { ipFamilyOf, isIpAddress } from '../k8s/ip';
import { addressQueryTypes, podIPOf, podIPs } from './ip-families';
import { DnsModel, isOutsideDomain, type DnsAnswer, type DnsResolution } from './dns';
import { ProxyModel, type AffinityNote, type ProxyDecision, type ProxyRule, type TrafficSource } from './proxy';
import { PolicyModel, policyLabel, workloadOf, type PolicyPeer, type PolicyVerdict } from './policy';
import type { ManifestObject } from '../manifest/objects';

/** Where the connection starts: a pod (`namespace/name`), a node's host network, or an outside client IP. */
export type TraceSource = { readonly pod: string } | { readonly node: string } | { readonly external: string };

/** A connection to trace. */
export interface ConnectRequest {
  readonly from: TraceSource;
  /** A DNS name (resolved as the source would) or an IP address. */
  readonly to: string;
  /**
   * Destination port: a number, or a Service port name. May be left out when the target Service
   * has a single port.
   */
  readonly port?: number | string;
  /** @default the protocol of the matched Service port, else 'TCP' */
  readonly protocol?: Protocol;
  /**
   * The pod policies see as the source when `from` only stands in for it: an L7 proxy (Ingress
   * controller, Gateway) whose connections are traced through kube-proxy from a node, while
   * NetworkPolicy judges the proxy's own pod (it connects from its pod IP, in its namespace,
   * with its labels). May be a pod that is not in the manifests (a stand-in the profile places).
   * @default the source itself
   */
  readonly policySource?: { readonly pod: PodInfo; readonly note: string };
}

/** Reasons a trace fails; each comes with a human message. */
export type TraceFailureCode =
  | 'unknown-source'
  | 'nxdomain'
  | 'dns-outside-cluster'
  | 'external-name'
  | 'no-such-port'
  | 'no-endpoints'
  | 'pods-unready'
  | 'no-local-endpoints'
  | 'source-range'
  | 'unreachable'
  | 'unknown-destination'
  /** NetworkPolicy / ClusterNetworkPolicy / mesh authorization drops it (every destination, or the DNS lookup). */
  | 'policy-denied'
  /** The Service's pods come (also) from an object the engine does not simulate: its endpoints are unknown. */
  | 'endpoints-unknown';

/** One pod (or address) the connection may end at. */
export interface TraceDestination {
  /** `namespace/name` of the pod, when the address belongs to one. */
  readonly pod?: string;
  readonly ip: string;
  /** The port the pod receives on (the resolved targetPort for proxied traffic). */
  readonly port: number;
  readonly node?: string;
  readonly zone?: string;
  /** Share of new connections (sums to 1 minus {@link Trace.dropProbability}). */
  readonly probability: number;
  /** False when the pod is not ready (reached anyway: direct pod IP, headless publishNotReady, or terminating fallback). */
  readonly ready: boolean;
  /** The policy decision for this hop (source -> this pod on `port`), when the source is inside the cluster. */
  readonly reachability?: PolicyVerdict;
}

/** The proxy rule taken, or how the address was reached without one. */
export type TraceRoute =
  | { readonly kind: 'proxy'; readonly rule: ProxyRule; readonly node: string }
  | { readonly kind: 'pod-ip'; readonly headless?: string }
  | { readonly kind: 'external-lb'; readonly rule: ProxyRule; readonly nodes: number };

/** The structured result of {@link connect}. Deterministic for the same state and request. */
export interface Trace {
  readonly request: { readonly from: string; readonly to: string; readonly port?: number; readonly protocol: Protocol };
  readonly ok: boolean;
  /** How the name resolved (only when `to` is a name). */
  readonly dns?: DnsResolution;
  /** The address connected to, after DNS. */
  readonly address?: string;
  /** The Service the address belongs to, `namespace/name`. */
  readonly service?: string;
  readonly route?: TraceRoute;
  /** Traffic policy whose endpoints were used. */
  readonly policy?: 'Cluster' | 'Local';
  readonly destinations: readonly TraceDestination[];
  /** Share of connections dropped (e.g. externalIP traffic reaching nodes without local endpoints). */
  readonly dropProbability?: number;
  readonly affinity?: AffinityNote;
  readonly failure?: { readonly code: TraceFailureCode; readonly message: string };
  /** Facts worth knowing (short-circuit, topology, terminating fallback, …), in order. */
  readonly notes: readonly string[];
  /** The client's DNS lookup as its egress policy sees it (pods resolving a name, when policies exist). */
  readonly dnsReachability?: PolicyVerdict;
  /**
   * Loaded objects the engine does not simulate that could change this answer (a NetworkPolicy
   * selecting the destination pod, a workload kind making pods the Service selects); absent
   * when there are none.
   */
  readonly notSimulated?: readonly CoverageItem[];
}

/** The loaded objects, when the state carries them (a built `Cluster` does); policies are read from them. */
interface WithObjects {
  readonly objects?: ReadonlyMap<string, ManifestObject>;
}

/** Models built over one cluster state; reuse it for many traces of the same state. */
export class TraceContext {
  readonly proxy: ProxyModel;
  readonly dns: DnsModel;
  private podIndex?: Map<string, PodInfo>;
  private addressIndex?: Map<string, ServiceInfo>;
  private policyModel?: PolicyModel | null;

  /** `policy`: a policy model to use (what-ifs, CNI profiles); by default built from the state's objects. */
  constructor(readonly state: ClusterStateView, policy?: PolicyModel) {
    this.proxy = ProxyModel.build(state);
    this.dns = new DnsModel(state);
    this.policyModel = policy;
  }

  /**
   * The reachability model (NetworkPolicy, ClusterNetworkPolicy, AuthorizationPolicy), or
   * undefined when the state has no policy object (every connection is allowed then).
   */
  get policy(): PolicyModel | undefined {
    if (this.policyModel === undefined) {
      const objects = (this.state as ClusterStateView & WithObjects).objects;
      const model = objects ? PolicyModel.build({ state: this.state, objects: objects.values() }) : undefined;
      const any = model && (model.networkPolicies.length + model.clusterPolicies.length + model.authorizationPolicies.length + model.problems.length) > 0;
      this.policyModel = any ? model : null;
    }
    return this.policyModel ?? undefined;
  }

  /**
   * Bring the models up to date after the state changed (`Cluster.apply`): re-reads the named
   * Services in the proxy model and drops the address indexes. DNS reads the state live.
   */
  refresh(serviceKeys: Iterable<string>): void {
    this.proxy.refresh(serviceKeys);
    this.podIndex = undefined;
    this.addressIndex = undefined;
    this.policyModel = undefined;
  }

  /** Pods by IP (the first pod by key when several share one). */
  podByIP(ip: string): PodInfo | undefined {
    if (!this.podIndex) {
      this.podIndex = new Map();
      for (const key of [...this.state.pods.keys()].sort()) {
        const pod = this.state.pods.get(key);
        if (!pod) continue;
        // Every address of `status.podIPs` (dual-stack pods have one per family).
        for (const ip of podIPs(pod)) if (!this.podIndex.has(ip)) this.podIndex.set(ip, pod);
      }
    }
    return this.podIndex.get(ip);
  }

  /** The Service owning an address as cluster IP, LoadBalancer ingress IP or externalIP (first by key). */
  serviceByAddress(ip: string): ServiceInfo | undefined {
    if (!this.addressIndex) {
      this.addressIndex = new Map();
      for (const key of [...this.state.services.keys()].sort()) {
        const svc = this.state.services.get(key);
        if (!svc) continue;
        for (const a of [...svc.clusterIPs, ...svc.loadBalancerIPs, ...svc.externalIPs]) {
          if (!this.addressIndex.has(a)) this.addressIndex.set(a, svc);
        }
      }
    }
    return this.addressIndex.get(ip);
  }
}

interface Source {
  readonly label: string;
  readonly traffic: TrafficSource;
  /** The node whose rules see the packet first (none for external clients). */
  readonly node?: NodeInfo;
  readonly namespace?: string;
  /** The source as the policy model sees it. */
  readonly peer: PolicyPeer;
}

/** Mutable accumulator while tracing. */
interface Draft {
  request: { from: string; to: string; port?: number; protocol: Protocol };
  dns?: DnsResolution;
  address?: string;
  service?: string;
  route?: TraceRoute;
  policy?: 'Cluster' | 'Local';
  destinations: TraceDestination[];
  dropProbability?: number;
  affinity?: AffinityNote;
  notes: string[];
  dnsReachability?: PolicyVerdict;
}

/**
 * Trace one connection through DNS and kube-proxy. Pass a {@link TraceContext} to reuse the
 * models across calls on the same (unchanged) state.
 */
export function connect(request: ConnectRequest, state: ClusterStateView, context?: TraceContext): Trace {
  const ctx = context ?? new TraceContext(state);
  const trace = connectL4(request, ctx);
  return state.coverage ? withCoverage(trace, request, ctx) : trace;
}

/**
 * Name the unsimulated objects that could change the answer, and turn "no endpoints" into
 * "unknown" when the Service's pods may come from a workload kind the engine does not run.
 */
function withCoverage(trace: Trace, request: ConnectRequest, ctx: TraceContext): Trace {
  const coverage = ctx.state.coverage;
  if (!coverage || coverage.notSimulated.length === 0) return trace;
  const svc = trace.service ? ctx.state.services.get(trace.service) : undefined;
  const destinationPods: PodInfo[] = [];
  for (const d of trace.destinations) {
    const pod = d.pod ? ctx.state.pods.get(d.pod) : undefined;
    if (pod) destinationPods.push(pod);
  }
  const sourcePod = 'pod' in request.from ? ctx.state.pods.get(request.from.pod) : undefined;
  const items = coverage.relevantTo({ service: svc, destinationPods, sourcePod });
  if (items.length === 0) return trace;
  const notes = [...trace.notes];
  const sources = svc ? coverage.podSourcesFor(svc) : [];
  let { ok, failure, destinations } = trace;
  const names = sources.map((i) => `${i.ref.kind} ${i.ref.namespace}/${i.ref.name}`).join(', ');
  if (sources.length > 0 && failure && ['no-endpoints', 'pods-unready', 'nxdomain'].includes(failure.code)) {
    failure = { code: 'endpoints-unknown', message: `endpoints of ${trace.service} unknown: its selector also matches the pods of ${names}, which the engine does not simulate (the simulated pods alone give: ${failure.message})` };
    ok = false;
    destinations = [];
  } else if (sources.length > 0 && ok) {
    notes.push(`the distribution covers simulated pods only: ${trace.service} also selects the pods of ${names}, which the engine does not simulate`);
  }
  for (const i of items) if (!sources.includes(i)) notes.push(`could change this answer, not simulated: ${i.ref.kind} ${i.ref.namespace ? `${i.ref.namespace}/` : ''}${i.ref.name} (${i.reason})`);
  return { ...trace, ok, destinations, failure, notes, notSimulated: items };
}

function connectL4(request: ConnectRequest, ctx: TraceContext): Trace {
  const draft: Draft = {
    request: { from: describeSource(request.from), to: request.to, port: typeof request.port === 'number' ? request.port : undefined, protocol: request.protocol ?? 'TCP' },
    destinations: [],
    notes: [],
  };
  const src = resolveSource(request.from, ctx);
  if (typeof src === 'string') return failed(draft, 'unknown-source', src);
  const t = trace(request, src, draft, ctx);
  if (!request.policySource || !ctx.policy) return withPolicy(t, src, ctx);
  // Policy judges the proxy's pod; the L4 path stays the stand-in source's.
  const judged = withPolicy(t, { ...src, peer: { kind: 'pod', pod: request.policySource.pod } }, ctx);
  return { ...judged, notes: [...judged.notes, request.policySource.note] };
}

function trace(request: ConnectRequest, src: Source, draft: Draft, ctx: TraceContext): Trace {
  let address = request.to.trim();
  if (!isIpAddress(address)) {
    const policy = ctx.policy;
    if (policy && src.peer.kind === 'pod' && src.namespace !== undefined) {
      // The lookup itself is a UDP connection to cluster DNS, subject to the client's egress policy.
      const dns = policy.dnsVerdict(src.peer.pod);
      draft.dnsReachability = dns.udp;
      if (!dns.udp.allowed) {
        return failed(draft, 'policy-denied', `the DNS lookup of ${address} is dropped: ${dns.udp.egress.allowed ? dns.udp.ingress.reason : dns.udp.egress.reason} (UDP ${policy.profile.dns.targetPort} to ${dns.dnsPod.namespace}/${dns.dnsPod.name}, after the kube-dns Service's DNAT)`);
      }
    }
    const resolved = resolveName(address, src, ctx, draft);
    if (!resolved.ok) return failed(draft, resolved.code, resolved.message);
    if (resolved.headless) return headless(resolved.headless, resolved.ips, request, draft, ctx);
    address = resolved.ips[0];
    if (resolved.ips.length > 1) draft.notes.push(`DNS returned ${resolved.ips.length} addresses; tracing the first, ${address}`);
  }
  draft.address = address;
  src = sourceForFamily(src, address);

  const svc = serviceOwning(address, ctx);
  const port = pickPort(request, svc, address, ctx);
  if ('code' in port) return failed(draft, port.code, port.message);
  draft.request.port = port.port;
  draft.request.protocol = port.protocol;
  if (svc) draft.service = `${svc.namespace}/${svc.name}`;

  return route(src, address, port.port, port.protocol, draft, ctx);
}

function route(src: Source, ip: string, port: number, protocol: Protocol, draft: Draft, ctx: TraceContext): Trace {
  const { proxy } = ctx;
  if (src.node) {
    const first = proxy.lookup({ node: src.node.name, source: src.traffic, dstIP: ip, dstPort: port, protocol });
    if (first.action !== 'none') return proxied(first, src.node.name, draft, ctx);
    // Not captured where it starts: a packet to another node's IP is handled by that node's rules.
    const target = proxy.nodeByIP(ip);
    if (target && target.name !== src.node.name) {
      const there = proxy.lookup({ node: target.name, source: src.traffic, dstIP: ip, dstPort: port, protocol });
      if (there.action !== 'none') return proxied(there, target.name, draft, ctx, src.traffic.kind === 'pod');
    }
  } else {
    const viaNode = proxy.nodeByIP(ip);
    if (viaNode) {
      const d = proxy.lookup({ node: viaNode.name, source: src.traffic, dstIP: ip, dstPort: port, protocol });
      if (d.action !== 'none') return proxied(d, viaNode.name, draft, ctx);
    } else {
      const ext = externalEntry(src, ip, port, protocol, draft, ctx);
      if (ext) return ext;
    }
  }
  const pod = ctx.podByIP(ip);
  if (pod) {
    if (!src.node) return failed(draft, 'unreachable', `pod IP ${ip} (${pod.namespace}/${pod.name}) is not routable from outside the cluster; expose it with a NodePort or LoadBalancer Service`);
    return direct(pod, port, protocol, draft);
  }
  const owner = serviceOwning(ip, ctx);
  if (owner && !src.node) {
    return failed(draft, 'unreachable', `${ip} is the cluster IP of ${owner.namespace}/${owner.name}; cluster IPs are not reachable from outside the cluster (use a NodePort, LoadBalancer or externalIP)`);
  }
  if (owner) {
    const ports = owner.ports.map(portLabel).join(', ');
    return failed(draft, 'no-such-port', `${owner.namespace}/${owner.name} has no port ${port}/${protocol} on ${ip} (ports: ${ports || 'none'})`);
  }
  const node = proxy.nodeByIP(ip);
  if (node) return failed(draft, 'no-such-port', `no NodePort ${port}/${protocol} is allocated; ${ip} is node ${node.name}, and nothing in the cluster listens there`);
  return failed(draft, 'unknown-destination', `${ip} is not a Service, pod or node address in this cluster`);
}

/** External client to a LoadBalancer or externalIP: the packet lands on some node first. */
function externalEntry(src: Source, ip: string, port: number, protocol: Protocol, draft: Draft, ctx: TraceContext): Trace | undefined {
  const nodes = [...ctx.state.nodes.values()].filter((n) => n.ready).sort((a, b) => (a.name < b.name ? -1 : 1));
  const probe = nodes[0] && ctx.proxy.lookup({ node: nodes[0].name, source: src.traffic, dstIP: ip, dstPort: port, protocol });
  // Only LoadBalancer ingress and externalIPs are meant to be reached from outside.
  if (!probe || probe.action === 'none' || probe.rule.kind === 'ClusterIP') return undefined;
  if (probe.action !== 'forward' && probe.code !== 'no-local-endpoints-external') return proxied(probe, nodes[0].name, draft, ctx);
  const rule = probe.rule;
  let entryNodes = nodes;
  if (rule.kind === 'LoadBalancer') {
    const health = ctx.proxy.healthCheck(rule.service, nodes[0].name);
    if (health) {
      // The cloud LB sends only to nodes whose healthCheckNodePort answers 200.
      entryNodes = nodes.filter((n) => ctx.proxy.healthCheck(rule.service, n.name)?.status === 200);
      draft.notes.push(`externalTrafficPolicy: Local: the load balancer health-checks healthCheckNodePort and sends only to the ${entryNodes.length} node(s) with local endpoints, evenly per node`);
      if (entryNodes.length === 0) {
        return failed(draft, 'no-local-endpoints', `${rule.service} has externalTrafficPolicy: Local and no node has a ready local endpoint, so every node fails the load balancer health check`);
      }
    } else {
      draft.notes.push(`the load balancer spreads connections evenly over the ${entryNodes.length} ready node(s)`);
    }
  } else {
    draft.notes.push(`external IP ${ip} is routed to the cluster by the network, not by Kubernetes; assuming it reaches each of the ${entryNodes.length} ready node(s) equally`);
  }
  const share = 1 / entryNodes.length;
  const acc = new Map<string, { dest: TraceDestination; p: number }>();
  let dropped = 0;
  let policy: 'Cluster' | 'Local' | undefined;
  let affinity: AffinityNote | undefined;
  for (const node of entryNodes) {
    const d = ctx.proxy.lookup({ node: node.name, source: src.traffic, dstIP: ip, dstPort: port, protocol });
    if (d.action !== 'forward') {
      dropped += share;
      continue;
    }
    policy = d.policy;
    affinity = d.affinity;
    for (const w of d.endpoints) {
      const id = `${w.endpoint.ip}:${w.endpoint.port}`;
      const prior = acc.get(id);
      if (prior) prior.p += share * w.probability;
      else acc.set(id, { dest: toDestination(w.endpoint, 0, ctx), p: share * w.probability });
    }
  }
  draft.route = { kind: 'external-lb', rule, nodes: entryNodes.length };
  draft.service = rule.service;
  draft.policy = policy;
  draft.affinity = affinity;
  if (acc.size === 0) {
    return failed(draft, 'no-local-endpoints', `${rule.service} has externalTrafficPolicy: Local and none of the nodes the traffic reaches has a local endpoint`);
  }
  draft.destinations = sortDestinations([...acc.values()].map(({ dest, p }) => ({ ...dest, probability: round(p) })));
  if (dropped > 0) {
    draft.dropProbability = round(dropped);
    draft.notes.push(`${Math.round(dropped * 100)}% of connections reach nodes without local endpoints and are dropped (externalTrafficPolicy: Local)`);
  }
  return done(draft);
}

/**
 * `podCapturedElsewhere`: a pod's packet captured by another node's rules (a NodePort on that
 * node's IP). When that node short-circuits it (externalTrafficPolicy: Local, pod source), the
 * EXT chain sends it to the Cluster endpoints without masquerading ("short-circuit pod traffic"
 * in pkg/proxy/nftables/proxier.go; `-s <clusterCIDR> -j KUBE-SVC-…` in the iptables KUBE-EXT
 * chain), so an endpoint on any other node answers the pod IP directly, past the conntrack entry
 * of the node that translated the packet: the client sees a reply from the wrong address and the
 * connection never opens. Only endpoints on the capturing node work.
 */
function proxied(decision: ProxyDecision, nodeName: string, draft: Draft, ctx: TraceContext, podCapturedElsewhere = false): Trace {
  if (decision.action === 'none') return failed(draft, 'unknown-destination', 'no rule matched');
  draft.route = { kind: 'proxy', rule: decision.rule, node: nodeName };
  draft.service = decision.rule.service;
  if (decision.action !== 'forward') {
    if (decision.code === 'no-endpoints') {
      const why = explainNoEndpoints(decision.rule, ctx);
      return failed(draft, why.code, `${decision.reason}. Cause: ${why.message}`);
    }
    const code: TraceFailureCode = decision.code === 'source-range' ? 'source-range' : 'no-local-endpoints';
    return failed(draft, code, decision.reason);
  }
  draft.policy = decision.policy;
  draft.affinity = decision.affinity;
  if (decision.shortCircuit) draft.notes.push(`traffic from inside the cluster to an external address of ${decision.rule.service} short-circuits to the Cluster-policy endpoints (kube-proxy skips externalTrafficPolicy: Local for it)`);
  if (decision.topologyNode) draft.notes.push(`topology hints (PreferSameNode): only endpoints hinted for node ${decision.topologyNode} are used`);
  if (decision.topologyZone) draft.notes.push(`topology hints: only endpoints hinted for zone ${decision.topologyZone} are used`);
  if (decision.terminatingFallback) draft.notes.push('no endpoint is ready: kube-proxy falls back to serving, terminating endpoints');
  if (decision.affinity) draft.notes.push(`sessionAffinity: ClientIP: after the first connection, ${decision.affinity.clientIP} sticks to the same pod (probability 1.0) for ${decision.affinity.timeoutSeconds}s`);
  draft.destinations = sortDestinations(decision.endpoints.map((w) => toDestination(w.endpoint, w.probability, ctx)));
  if (podCapturedElsewhere && decision.shortCircuit) {
    const kept = draft.destinations.filter((d) => d.node === nodeName);
    const lost = draft.destinations.length - kept.length;
    if (lost > 0) {
      const why = `the pod's connection is translated on node ${nodeName} without masquerade (short-circuit of pod traffic), so an endpoint on another node replies to the pod directly, bypassing ${nodeName}'s connection tracking, and the connection fails`;
      if (kept.length === 0) return failed(draft, 'no-local-endpoints', `${decision.rule.service}: ${why}; no endpoint is on ${nodeName}`);
      draft.destinations = kept;
      draft.dropProbability = round(decision.endpoints.filter((w) => w.endpoint.nodeName !== nodeName).reduce((a, w) => a + w.probability, 0));
      draft.notes.push(`${Math.round(draft.dropProbability * 100)}% of connections fail: ${why}`);
    }
  }
  return done(draft);
}

/** Why a Service has no usable endpoint: no selector, no pod selected, unresolved port, or pods not ready. */
function explainNoEndpoints(rule: ProxyRule, ctx: TraceContext): { code: TraceFailureCode; message: string } {
  const svc = ctx.state.services.get(rule.service);
  if (!svc?.selector) return { code: 'no-endpoints', message: 'the Service has no selector and no EndpointSlices' };
  const slices = ctx.state.endpointSlices.get(rule.service) ?? [];
  const all = slices.flatMap((s) => s.endpoints);
  const selector = Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',');
  if (all.length === 0) return { code: 'no-endpoints', message: `its selector ${selector} matches no pod in namespace ${svc.namespace}` };
  const withPort = slices.filter((s) => s.ports.some((p) => p.name === rule.portName && p.protocol === rule.protocol));
  if (withPort.length === 0) {
    const sp = svc.ports.find((p) => p.name === rule.portName && p.protocol === rule.protocol);
    return { code: 'no-endpoints', message: `targetPort ${JSON.stringify(sp?.targetPort)} does not resolve to a container port on any selected pod` };
  }
  const eps = withPort.flatMap((s) => s.endpoints);
  const names = eps.map((e) => e.targetRef.name).sort();
  return { code: 'pods-unready', message: `all ${eps.length} selected pod(s) are unready (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})` };
}

/** Headless Service: DNS returned pod IPs; the client connects to one of them directly, no port translation. */
function headless(svc: ServiceInfo, ips: string[], request: ConnectRequest, draft: Draft, ctx: TraceContext): Trace {
  draft.service = `${svc.namespace}/${svc.name}`;
  draft.route = { kind: 'pod-ip', headless: draft.service };
  const port = pickPort(request, svc, undefined, ctx);
  if ('code' in port) return failed(draft, port.code, port.message);
  draft.request.port = port.port;
  draft.request.protocol = port.protocol;
  draft.notes.push(`headless Service: DNS returns pod IPs and the client connects to them directly (no kube-proxy, no port translation)`);
  const sp = svc.ports.find((p) => p.port === port.port && p.protocol === port.protocol);
  if (sp && sp.targetPort !== sp.port) {
    draft.notes.push(`port ${sp.port} is used as-is; the Service's targetPort ${sp.targetPort} is not applied to headless traffic`);
  }
  const dests = ips.map((ip): TraceDestination => {
    const pod = ctx.podByIP(ip);
    return { pod: pod ? `${pod.namespace}/${pod.name}` : undefined, ip, port: port.port, node: pod?.nodeName, zone: pod?.zone, probability: round(1 / ips.length), ready: pod?.ready ?? true };
  });
  for (const d of dests) {
    const pod = d.pod ? ctx.state.pods.get(d.pod) : undefined;
    if (pod && !pod.containerPorts.some((c) => c.containerPort === port.port && c.protocol === port.protocol)) {
      draft.notes.push(`pod ${d.pod} declares no container port ${port.port}/${port.protocol}`);
    }
  }
  draft.address = ips[0];
  draft.destinations = sortDestinations(dests);
  return done(draft);
}

function direct(pod: PodInfo, port: number, protocol: Protocol, draft: Draft): Trace {
  draft.route = { kind: 'pod-ip' };
  draft.notes.push('direct pod IP: no Service and no kube-proxy rule involved');
  if (!pod.ready) draft.notes.push(`pod ${pod.namespace}/${pod.name} is not ready; direct connections still reach it`);
  if (!pod.containerPorts.some((c) => c.containerPort === port && c.protocol === protocol)) {
    draft.notes.push(`pod ${pod.namespace}/${pod.name} declares no container port ${port}/${protocol}`);
  }
  draft.destinations = [{ pod: `${pod.namespace}/${pod.name}`, ip: pod.ip, port, node: pod.nodeName, zone: pod.zone, probability: 1, ready: pod.ready }];
  return done(draft);
}

type NameResult =
  | { ok: true; ips: string[]; headless?: ServiceInfo }
  | { ok: false; code: TraceFailureCode; message: string };

function resolveName(name: string, src: Source, ctx: TraceContext, draft: Draft): NameResult {
  const { dns } = ctx;
  let resolution: DnsResolution;
  // getaddrinfo asks for both families; the first answered in the cluster's family order is traced.
  const [primary, secondary] = addressQueryTypes(ctx.state.profile);
  if (src.namespace !== undefined) {
    const pod = src.peer.kind === 'pod' ? src.peer.pod : undefined;
    resolution = dns.resolveFromPod(src.namespace, name, primary, pod);
    if (secondary && !resolution.notClusterDns && !resolution.answer.records.some((r) => r.type === 'A' || r.type === 'AAAA')) {
      const other = dns.resolveFromPod(src.namespace, name, secondary, pod);
      if (other.answer.records.some((r) => r.type === 'A' || r.type === 'AAAA')) {
        draft.notes.push(`${name} has no ${primary} record; its ${secondary} record answered (the Service is ${secondary === 'AAAA' ? 'IPv6' : 'IPv4'} only)`);
        resolution = other;
      }
    }
    for (const note of resolution.notes ?? []) draft.notes.push(note);
    if (resolution.notClusterDns) {
      draft.dns = resolution;
      return { ok: false, code: 'dns-outside-cluster', message: `${name}: ${resolution.notClusterDns}` };
    }
  } else {
    if (!isOutsideDomain(name, dns.domain) && src.traffic.kind === 'external') {
      return { ok: false, code: 'dns-outside-cluster', message: `${name} is a cluster DNS name; cluster DNS does not answer clients outside the cluster` };
    }
    // Nodes use the host resolver, not cluster DNS search paths: only absolute names resolve.
    let answer = dns.query(name, primary);
    if (secondary && !answer.records.some((r) => r.type === 'A' || r.type === 'AAAA')) {
      const other = dns.query(name, secondary);
      if (other.records.some((r) => r.type === 'A' || r.type === 'AAAA')) answer = other;
    }
    resolution = { name, type: answer.type, searchList: [], ndots: 0, queries: [answer], answer };
    if (src.traffic.kind === 'node') draft.notes.push('nodes do not use the cluster DNS search list; the name was resolved as an absolute name');
  }
  draft.dns = resolution;
  const answer: DnsAnswer = resolution.answer;
  const cname = answer.records.find((r) => r.type === 'CNAME');
  const ips = answer.records.filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.value);
  if (ips.length === 0) {
    if (cname) {
      const target = answer.records.filter((r) => r.type === 'CNAME').pop()?.value ?? cname.value;
      return { ok: false, code: 'external-name', message: `${answer.name} is an ExternalName CNAME to ${target}, outside the cluster; the connection leaves the cluster (not simulated)` };
    }
    // A name with a single dot or none is a cluster-style name that did not resolve anywhere in the cluster.
    if (answer.rcode === 'FORWARDED' && name.replace(/\.$/, '').split('.').length > 2) {
      return { ok: false, code: 'dns-outside-cluster', message: `${name} is outside the cluster domain ${dns.domain}; it is resolved by upstream DNS (not simulated)` };
    }
    const svcKey = serviceKeyOfName(answer.name, dns.domain);
    const svc = svcKey ? ctx.state.services.get(svcKey) : undefined;
    if (svc?.headless) {
      return { ok: false, code: 'nxdomain', message: `${answer.name}: headless Service ${svcKey} has no ready endpoints, so DNS has no records for it (NXDOMAIN)` };
    }
    const tried = resolution.queries.map((q) => q.name).join(', ');
    const refused = refusedService(resolution.queries.map((q) => q.name), dns.domain, ctx);
    if (refused) return { ok: false, code: 'nxdomain', message: `${name} does not resolve: the API server refuses Service ${refused.key}: ${refused.message}` };
    return { ok: false, code: 'nxdomain', message: `${name} does not resolve (${answer.rcode}); tried ${tried}` };
  }
  if (cname) draft.notes.push(`${answer.name} is an ExternalName CNAME to ${cname.value}, inside the cluster; followed`);
  const by = answer.answeredBy;
  const svc = by?.kind === 'Service' ? ctx.state.services.get(by.key) : undefined;
  if (svc?.headless && !cname) return { ok: true, ips, headless: svc };
  return { ok: true, ips };
}

/** A dual-stack pod sends from its address of the destination's family (the kernel's source choice). */
function sourceForFamily(src: Source, address: string): Source {
  if (src.peer.kind !== 'pod' || src.traffic.kind !== 'pod') return src;
  const family = ipFamilyOf(address);
  const ip = family ? podIPOf(src.peer.pod, family) : undefined;
  return ip === undefined || ip === src.traffic.ip ? src : { ...src, traffic: { ...src.traffic, ip } };
}

/** A Service behind one of the queried names that the API server refuses (ip-families.ts), with its message. */
function refusedService(names: readonly string[], domain: string, ctx: TraceContext): { key: string; message: string } | undefined {
  const diags = ctx.state.diagnostics;
  if (!diags) return undefined;
  for (const n of names) {
    const key = serviceKeyOfName(n, domain);
    const d = key && diags.find((x) => x.code.startsWith('service-ip-family') && x.object?.kind === 'Service' && `${x.object.namespace ?? 'default'}/${x.object.name}` === key);
    if (key && d) return { key, message: d.message };
  }
  return undefined;
}

/** `namespace/name` when `fqdn` is `name.namespace.svc.<domain>`. */
function serviceKeyOfName(fqdn: string, domain: string): string | undefined {
  const suffix = `.svc.${domain}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  const parts = fqdn.slice(0, -suffix.length).split('.');
  return parts.length === 2 ? `${parts[1]}/${parts[0]}` : undefined;
}

/** The Service that owns an address as cluster IP, LB ingress IP or externalIP. */
function serviceOwning(ip: string, ctx: TraceContext): ServiceInfo | undefined {
  return ctx.serviceByAddress(ip);
}

type PortPick = { port: number; protocol: Protocol } | { code: TraceFailureCode; message: string };

/** Resolve the requested port against the Service (by number or name), or require one. */
function pickPort(request: ConnectRequest, svc: ServiceInfo | undefined, address: string | undefined, ctx: TraceContext): PortPick {
  const wanted = request.port;
  if (!svc) {
    if (typeof wanted === 'number') return { port: wanted, protocol: request.protocol ?? 'TCP' };
    if (address) {
      const node = ctx.proxy.nodeByIP(address);
      const pod = ctx.podByIP(address);
      if (typeof wanted === 'string') {
        const cp = pod?.containerPorts.find((c) => c.name === wanted);
        if (cp) return { port: cp.containerPort, protocol: cp.protocol };
        return { code: 'no-such-port', message: `port name "${wanted}" is not defined${pod ? ` on pod ${pod.namespace}/${pod.name}` : ''}; pass a port number` };
      }
      if (pod && pod.containerPorts.length === 1) return { port: pod.containerPorts[0].containerPort, protocol: pod.containerPorts[0].protocol };
      return { code: 'no-such-port', message: `no port given for ${node ? `node ${node.name}` : pod ? `pod ${pod.namespace}/${pod.name}` : address}; pass --port` };
    }
    return { code: 'no-such-port', message: 'no port given; pass --port' };
  }
  const label = `${svc.namespace}/${svc.name}`;
  const list = svc.ports.map(portLabel).join(', ') || 'none';
  let candidates: readonly ServicePortInfo[];
  if (wanted === undefined) {
    if (svc.ports.length !== 1) return { code: 'no-such-port', message: `${label} has ${svc.ports.length} ports (${list}); pass --port` };
    candidates = svc.ports;
  } else if (typeof wanted === 'string') {
    candidates = svc.ports.filter((p) => p.name === wanted);
  } else {
    candidates = svc.ports.filter((p) => p.port === wanted);
  }
  if (request.protocol) candidates = candidates.filter((p) => p.protocol === request.protocol);
  const chosen = candidates.find((p) => p.protocol === 'TCP') ?? candidates[0];
  if (!chosen) {
    return { code: 'no-such-port', message: `${label} has no port ${String(wanted)}${request.protocol ? `/${request.protocol}` : ''} (ports: ${list})` };
  }
  return { port: chosen.port, protocol: chosen.protocol };
}

function portLabel(p: ServicePortInfo): string {
  return `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`;
}

function resolveSource(from: TraceSource, ctx: TraceContext): Source | string {
  const { state } = ctx;
  if ('pod' in from) {
    const pod = state.pods.get(from.pod) ?? firstPodOfWorkload(from.pod, ctx);
    if (!pod) return `no pod or workload ${from.pod}; use namespace/name of a pod the workloads create (see \`netkit routes\` for pod names) or of a Deployment, StatefulSet or DaemonSet`;
    return { label: `pod ${from.pod}`, traffic: { kind: 'pod', ip: pod.ip }, node: state.nodes.get(pod.nodeName), namespace: pod.namespace, peer: { kind: 'pod', pod } };
  }
  if ('node' in from) {
    const node = state.nodes.get(from.node);
    if (!node) return `no node ${from.node}; nodes are: ${[...state.nodes.keys()].sort().slice(0, 10).join(', ')}`;
    return { label: `node ${node.name}`, traffic: { kind: 'node', name: node.name, ip: node.internalIP }, node, peer: { kind: 'node', node } };
  }
  if (!isIpAddress(from.external)) return `external source must be an IP address, got "${from.external}"`;
  return { label: `external ${from.external}`, traffic: { kind: 'external', ip: from.external }, peer: { kind: 'external', ip: from.external } };
}

/** `namespace/name` of a workload: its first pod by name (pods of one template share labels, so policy verdicts). */
function firstPodOfWorkload(key: string, ctx: TraceContext): PodInfo | undefined {
  const [ns, name] = key.split('/');
  let best: PodInfo | undefined;
  for (const p of ctx.state.pods.values()) {
    if (p.namespace === ns && (p.owner?.name === name || workloadOf(p).name === name) && (!best || p.name < best.name)) best = p;
  }
  return best;
}

function describeSource(from: TraceSource): string {
  if ('pod' in from) return `pod ${from.pod}`;
  if ('node' in from) return `node ${from.node}`;
  return `external ${from.external}`;
}

function toDestination(ep: { ip: string; port: number; nodeName: string; zone: string; ready: boolean; pod?: string }, probability: number, ctx: TraceContext): TraceDestination {
  const pod = ep.pod ?? (ctx.podByIP(ep.ip) ? `${ctx.podByIP(ep.ip)?.namespace}/${ctx.podByIP(ep.ip)?.name}` : undefined);
  return { pod, ip: ep.ip, port: ep.port, node: ep.nodeName, zone: ep.zone, probability: round(probability), ready: ep.ready };
}

function sortDestinations(list: TraceDestination[]): TraceDestination[] {
  return list.sort((a, b) => ((a.pod ?? '') !== (b.pod ?? '') ? ((a.pod ?? '') < (b.pod ?? '') ? -1 : 1) : a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
}

function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/** The trace in a fixed key order, so JSON output is stable and reads top-down. */
function finish(draft: Draft, ok: boolean, failure?: Trace['failure']): Trace {
  return {
    request: draft.request,
    ok,
    dns: draft.dns,
    address: draft.address,
    service: draft.service,
    route: draft.route,
    policy: draft.policy,
    destinations: ok ? draft.destinations : [],
    dropProbability: draft.dropProbability,
    affinity: draft.affinity,
    failure,
    notes: draft.notes,
    dnsReachability: draft.dnsReachability,
  };
}

/**
 * The policy verdict on each destination (source -> pod on the port it receives, after
 * kube-proxy's DNAT). Denied destinations stay listed with their verdict; their share becomes
 * dropped, and when every destination is denied the trace fails naming the policies.
 */
function withPolicy(t: Trace, src: Source, ctx: TraceContext): Trace {
  const policy = ctx.policy;
  if (!policy || !t.ok || t.destinations.length === 0) return t;
  const service = t.address && t.route?.kind !== 'pod-ip' && t.request.port !== undefined ? { ip: t.address, port: t.request.port } : undefined;
  let denied = 0;
  const destinations = t.destinations.map((d): TraceDestination => {
    const pod = d.pod ? ctx.state.pods.get(d.pod) : undefined;
    const to: PolicyPeer = pod ? { kind: 'pod', pod } : ctx.proxy.nodeByIP(d.ip) ? { kind: 'node', node: ctx.proxy.nodeByIP(d.ip) as NodeInfo } : { kind: 'external', ip: d.ip };
    const v = policy.verdict({ from: src.peer, to, port: d.port, protocol: t.request.protocol, service });
    if (!v.allowed) denied += d.probability;
    return { ...d, reachability: v };
  });
  const notes = [...t.notes];
  for (const d of destinations) for (const u of d.reachability?.unmodelled ?? []) if (!notes.includes(`not simulated: ${u}`)) notes.push(`not simulated: ${u}`);
  for (const d of destinations) for (const n of d.reachability?.notes ?? []) if (!notes.includes(n)) notes.push(n);
  if (denied === 0) return { ...t, destinations, notes };
  const first = destinations.find((d) => d.reachability && !d.reachability.allowed);
  const why = first?.reachability ? denialReason(first.reachability) : '';
  const all = destinations.every((d) => d.reachability && !d.reachability.allowed);
  if (all) {
    return { ...t, ok: false, destinations, notes, failure: { code: 'policy-denied', message: `denied by policy at ${first?.pod ?? first?.ip}: ${why}` } };
  }
  notes.push(`${Math.round(denied * 100)}% of connections reach pods that policy denies (${first?.pod}: ${why})`);
  return { ...t, destinations, notes, dropProbability: round((t.dropProbability ?? 0) + denied) };
}

/** One sentence naming the policy that drops the connection, and the nearest miss. */
export function denialReason(v: PolicyVerdict): string {
  const side = !v.egress.allowed ? v.egress : !v.ingress.allowed ? v.ingress : undefined;
  if (!side) return v.mesh && !v.mesh.allowed ? `mesh authorization: ${v.mesh.reason}` : 'allowed';
  const dir = side === v.egress ? 'egress' : 'ingress';
  const miss = side.nearMiss ? `; nearest miss: ${policyLabel(side.nearMiss.policy)} ${side.nearMiss.path}: ${side.nearMiss.reason}` : '';
  return `${dir}: ${side.reason}${miss}`;
}

function done(draft: Draft): Trace {
  return finish(draft, true);
}

function failed(draft: Draft, code: TraceFailureCode, message: string): Trace {
  return finish(draft, false, { code, message });
}
