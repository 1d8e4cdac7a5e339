/**
 * Public types of the kube-proxy model (`pkg/proxy/iptables/proxier.go` in kubernetes).
 */
import type { Protocol, TrafficPolicy } from '../model';

/** One backend of a Service port, as kube-proxy sees it (one address of one EndpointSlice endpoint). */
export interface ProxyEndpoint {
  /** The endpoint address kube-proxy DNATs to (the first address of the slice endpoint). */
  readonly ip: string;
  /** The resolved target port (from the EndpointSlice port of the same name). */
  readonly port: number;
  readonly nodeName: string;
  readonly zone: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  /** Zone hints (`hints.forZones`); empty when the endpoint has none. */
  readonly forZones: readonly string[];
  /** Node hints (`hints.forNodes`, trafficDistribution PreferSameNode); empty when none. */
  readonly forNodes: readonly string[];
  /** The pod behind the endpoint, `namespace/name`, when the slice names one. */
  readonly pod?: string;
}

/** Which kind of destination matched a proxy rule. */
export type ProxyRuleKind = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalIP';

/** A rule of the per-node service table: a destination address that kube-proxy captures. */
export interface ProxyRule {
  readonly kind: ProxyRuleKind;
  /** The Service, `namespace/name`. */
  readonly service: string;
  /** The Service port name ('' for a single unnamed port). */
  readonly portName: string;
  /** The captured destination IP (the node IP for NodePort rules). */
  readonly ip: string;
  /** The captured destination port (the nodePort for NodePort rules). */
  readonly port: number;
  readonly protocol: Protocol;
}

/** Where a packet entering kube-proxy on a node comes from; decides short-circuiting and source ranges. */
export type TrafficSource =
  /** A pod anywhere in the cluster (pod IPs are "local" to kube-proxy's local-traffic detector). */
  | { readonly kind: 'pod'; readonly ip: string }
  /** The host network of a node. */
  | { readonly kind: 'node'; readonly name: string; readonly ip: string }
  /** A client outside the cluster. */
  | { readonly kind: 'external'; readonly ip: string };

/** A packet as it reaches kube-proxy's rules on `node`. */
export interface ProxyPacket {
  /** The node whose netfilter rules the packet traverses. */
  readonly node: string;
  readonly source: TrafficSource;
  readonly dstIP: string;
  readonly dstPort: number;
  readonly protocol: Protocol;
}

/** One destination of a forwarded packet with its share of new connections. */
export interface WeightedEndpoint {
  readonly endpoint: ProxyEndpoint;
  /** Equal split over the usable endpoints (iptables `statistic --mode random`). */
  readonly probability: number;
}

/** `sessionAffinity: ClientIP`: after the first connection the client sticks to one endpoint. */
export interface AffinityNote {
  readonly clientIP: string;
  readonly timeoutSeconds: number;
}

/** Why a captured packet is not forwarded. */
export type ProxyFailureCode =
  /** The Service has no usable endpoint anywhere: ICMP reject. */
  | 'no-endpoints'
  /** `internalTrafficPolicy: Local` and no usable endpoint on the source node: dropped. */
  | 'no-local-endpoints-internal'
  /** `externalTrafficPolicy: Local` and no usable endpoint on the receiving node: dropped. */
  | 'no-local-endpoints-external'
  /** The source is outside `loadBalancerSourceRanges`: dropped by the firewall chain. */
  | 'source-range';

/** The outcome of a packet against one node's service table. */
export type ProxyDecision =
  /** No rule captured the packet; it is routed unchanged. */
  | { readonly action: 'none' }
  | {
      readonly action: 'forward';
      readonly rule: ProxyRule;
      /** The traffic policy whose endpoint set was used. */
      readonly policy: TrafficPolicy;
      /** External traffic from a pod or the node itself that bypassed `externalTrafficPolicy: Local`. */
      readonly shortCircuit: boolean;
      /** Zone whose topology hints narrowed the endpoint set, when zone hints applied. */
      readonly topologyZone?: string;
      /** Node whose hints narrowed the endpoint set, when node hints (PreferSameNode) applied. */
      readonly topologyNode?: string;
      /** No ready endpoint, so serving+terminating endpoints were used. */
      readonly terminatingFallback: boolean;
      readonly endpoints: readonly WeightedEndpoint[];
      readonly affinity?: AffinityNote;
    }
  | {
      readonly action: 'reject' | 'drop';
      readonly rule: ProxyRule;
      readonly code: ProxyFailureCode;
      /** A sentence for humans saying what happened and why. */
      readonly reason: string;
    };

/** The kube-proxy health-check server answer on `healthCheckNodePort` (`pkg/proxy/healthcheck`). */
export interface HealthCheckResult {
  /** 200 when the node has local endpoints, 503 otherwise. */
  readonly status: 200 | 503;
  readonly localEndpoints: number;
}
