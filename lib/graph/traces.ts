/**
 * Precomputed L4 traces for the graph: `connect()` from a pod to each Service port, and from an
 * outside client to each entry point, turned into the text `netkit trace` prints plus the graph
 * ids the traffic passes (so the page can highlight the path without a server).
 */
import { addressInBlock, ipFamilyOf, parseIpBlock } from '../k8s/ip';
import { formatTrace } from '../report/trace-format';
import type { ClusterStateView, PodInfo, ServiceInfo } from '../engine/model';
import type { PolicyModel } from '../engine/policy';
import { connect, TraceContext, type ConnectRequest, type Trace, type TraceSource } from '../engine/trace';
import type { GraphTrace } from './model';

/** Outside client used when a Service has no `loadBalancerSourceRanges` (RFC 5737 TEST-NET-2). */
export const DEFAULT_EXTERNAL_CLIENT_V4 = '198.51.100.10';
/** IPv6 outside client (RFC 3849 documentation prefix). */
export const DEFAULT_EXTERNAL_CLIENT_V6 = '2001:db8::10';

/** Graph node ids, shared by the L4 source and the trace highlighting. */
export const ids = {
  service: (key: string) => `svc:${key}`,
  port: (key: string, index: number) => `svc:${key}#${index}`,
  slice: (namespace: string, name: string) => `slice:${namespace}/${name}`,
  pod: (key: string) => `pod:${key}`,
  address: (ip: string) => `addr:${ip}`,
};

/**
 * An address inside `cidr` to use as a client: the network address + 1 when the prefix leaves
 * room, else the address itself. Undefined for an unparseable range.
 */
export function clientInRange(cidr: string): string | undefined {
  const block = parseIpBlock(cidr.trim());
  if (!block) return undefined;
  // Skip the network address when at least two host bits are free.
  const bits = block.family === 'IPv4' ? 32 : 128;
  return addressInBlock(block, bits - block.prefix >= 2 ? 1n : 0n);
}

/** The outside client for a Service: inside its first source range when it has one. */
export function externalClientFor(svc: ServiceInfo, targetIP: string): string {
  for (const r of svc.loadBalancerSourceRanges) {
    const ip = clientInRange(r);
    // The target may be an externalIP the API server would reject (validate reports it): no family, no match.
    if (ip && ipFamilyOf(ip) === ipFamilyOf(targetIP)) return ip;
  }
  return targetIP.includes(':') ? DEFAULT_EXTERNAL_CLIENT_V6 : DEFAULT_EXTERNAL_CLIENT_V4;
}

/**
 * Whether a pod's resolver is cluster DNS, as kubelet decides (`pkg/kubelet/network/dns/dns.go`
 * getPodDNSType): ClusterFirstWithHostNet always, ClusterFirst unless the pod uses the host
 * network (it falls back to Default, the node's resolver), Default and None never.
 */
export function usesClusterDns(pod: PodInfo | undefined): boolean {
  if (!pod) return false;
  const policy = pod.dns?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirstWithHostNet') return true;
  return policy === 'ClusterFirst' && !(pod.hostNetwork || pod.dns?.hostNetwork);
}

/** Runs and records traces over one cluster state (one {@link TraceContext} for all). */
export class TraceRecorder {
  private readonly ctx: TraceContext;
  private readonly podsByNamespace = new Map<string, string[]>();
  private readonly firstPod?: string;
  private readonly firstPodNetwork?: string;
  private readonly firstNode?: string;

  constructor(readonly state: ClusterStateView) {
    this.ctx = new TraceContext(state);
    // A pod that does not resolve through cluster DNS is a poor client for `name.namespace`:
    // such pods come last, used only when a namespace has no other.
    const hostNet = (key: string) => (usesClusterDns(state.pods.get(key)) ? 0 : 1);
    const keys = [...state.pods.keys()].sort((a, b) => hostNet(a) - hostNet(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      const ns = key.slice(0, key.indexOf('/'));
      const list = this.podsByNamespace.get(ns) ?? [];
      list.push(key);
      this.podsByNamespace.set(ns, list);
    }
    this.firstPod = keys[0];
    this.firstPodNetwork = keys.find((k) => usesClusterDns(state.pods.get(k)));
    this.firstNode = [...state.nodes.keys()].sort()[0];
  }

  /** The reachability model the traces use (undefined when the input has no policy object). */
  get policy(): PolicyModel | undefined {
    return this.ctx.policy;
  }

  /**
   * The in-cluster client for a namespace: its first pod on the pod network, else its first
   * host-network pod, else any pod (pod network first), else a node's host network.
   */
  clientFor(namespace: string): TraceSource | undefined {
    const own = this.podsByNamespace.get(namespace)?.[0];
    const pod = own && usesClusterDns(this.state.pods.get(own)) ? own : this.firstPodNetwork ?? own ?? this.firstPod;
    if (pod) return { pod };
    return this.firstNode ? { node: this.firstNode } : undefined;
  }

  /** Whether `source` resolves names through cluster DNS (see {@link usesClusterDns}). */
  resolvesClusterNames(source: TraceSource): boolean {
    return 'pod' in source && usesClusterDns(this.state.pods.get(source.pod));
  }

  /**
   * Trace `request` and describe it as graph data. `via` ids (the entry point, the route) are
   * highlighted in front of the path the trace itself reveals.
   */
  record(id: string, request: ConnectRequest, via: readonly string[] = []): GraphTrace {
    const trace = connect(request, this.state, this.ctx);
    const port = trace.request.port !== undefined ? `:${trace.request.port}` : '';
    return {
      id,
      title: `${trace.request.from} -> ${trace.request.to}${port}/${trace.request.protocol}`,
      layer: 'L4',
      ok: trace.ok,
      text: formatTrace(trace),
      ...(trace.failure ? { failure: { code: trace.failure.code, message: trace.failure.message } } : {}),
      destinations: trace.destinations.map((d) => d.pod ?? d.ip),
      highlight: [...via, ...highlightOf(trace, this.state)],
    };
  }
}

/**
 * Graph ids on a trace's path: the Service and the port taken, the slices holding the
 * destinations, and the destination pods (or bare addresses).
 */
export function highlightOf(trace: Trace, state: ClusterStateView): string[] {
  const out: string[] = [];
  const key = trace.service;
  const svc = key ? state.services.get(key) : undefined;
  if (key && svc) {
    out.push(ids.service(key));
    const rule = trace.route && trace.route.kind !== 'pod-ip' ? trace.route.rule : undefined;
    const index = rule
      ? svc.ports.findIndex((p) => p.name === rule.portName && p.protocol === rule.protocol)
      : svc.ports.findIndex((p) => p.port === trace.request.port && p.protocol === trace.request.protocol);
    if (index >= 0) out.push(ids.port(key, index));
    const destIPs = new Set(trace.destinations.map((d) => d.ip));
    for (const slice of state.endpointSlices.get(key) ?? []) {
      if (slice.endpoints.some((e) => e.addresses.some((a) => destIPs.has(a)))) out.push(ids.slice(slice.namespace, slice.name));
    }
  }
  for (const d of trace.destinations) out.push(d.pod ? ids.pod(d.pod) : ids.address(d.ip));
  return out;
}
