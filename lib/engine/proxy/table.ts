/**
 * The shared, cluster-wide part of one Service port's proxy rules (what `pkg/proxy/service.go`
 * `BaseServicePortInfo` and the endpoints map hold upstream). Per-node differences (Local
 * policies, zone hints) are computed lazily from it and cached by node or zone, so 5,000 nodes
 * do not copy 10,000 Services' tables.
 */
import type { EndpointSliceInfo, ServiceInfo, ServicePortInfo } from '../model';
import type { ProxyEndpoint } from './types';
import { anyUsableEndpoint, collectEndpoints, type IPFamily } from './endpoints';
import { clusterEndpointSet, hasNodeHints, localEndpointSet, type EndpointSet } from './categorize';

const EMPTY_SET: EndpointSet = { endpoints: [], terminatingFallback: false };

/** One Service port in one IP family, with its endpoints and lazily computed per-node views. */
export class ServicePortTable {
  /** `namespace/name` of the Service. */
  readonly serviceKey: string;
  /** Any endpoint usable anywhere in the cluster (`hasEndpoints` in proxier.go). */
  readonly hasEndpoints: boolean;
  /** NodePort, LoadBalancer ingress or externalIPs exist (`ExternallyAccessible` upstream). */
  readonly externallyAccessible: boolean;
  /** `externalTrafficPolicy: Local` on an externally accessible Service. */
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;

  /** Cluster sets keyed by zone, or by node when node hints exist. */
  private readonly clusterSets = new Map<string, EndpointSet>();
  private nodeHints?: boolean;
  private list?: readonly ProxyEndpoint[];
  private byNode?: Map<string, ProxyEndpoint[]>;
  private readonly localByNode = new Map<string, EndpointSet>();

  constructor(
    readonly service: ServiceInfo,
    readonly port: ServicePortInfo,
    readonly family: IPFamily,
    private readonly slices: readonly EndpointSliceInfo[] | undefined,
  ) {
    this.serviceKey = `${service.namespace}/${service.name}`;
    this.hasEndpoints = anyUsableEndpoint(slices, port, family);
    this.externallyAccessible =
      port.nodePort !== undefined || service.loadBalancerIPs.length > 0 || service.externalIPs.length > 0;
    this.externalPolicyLocal = this.externallyAccessible && service.externalTrafficPolicy === 'Local';
    this.internalPolicyLocal = service.internalTrafficPolicy === 'Local';
  }

  /** Every endpoint of this port in this family, in slice order; built on first use. */
  get endpoints(): readonly ProxyEndpoint[] {
    if (!this.list) this.list = collectEndpoints(this.slices, this.port, this.family);
    return this.list;
  }

  /**
   * Cluster-policy endpoints for a node; cached per zone (zone hints depend only on it), or per
   * node for the rare Services with node hints.
   */
  clusterSet(nodeName: string, zone: string): EndpointSet {
    if (this.nodeHints === undefined) this.nodeHints = hasNodeHints(this.endpoints);
    const key = this.nodeHints ? `node:${nodeName}` : `zone:${zone}`;
    let set = this.clusterSets.get(key);
    if (!set) {
      set = clusterEndpointSet(this.endpoints, nodeName, zone);
      this.clusterSets.set(key, set);
    }
    return set;
  }

  /** Local-policy endpoints on `nodeName`; cached per node, computed on first use. */
  localSet(nodeName: string): EndpointSet {
    let set = this.localByNode.get(nodeName);
    if (!set) {
      const onNode = this.endpointsByNode().get(nodeName);
      set = onNode ? localEndpointSet(onNode) : EMPTY_SET;
      this.localByNode.set(nodeName, set);
    }
    return set;
  }

  /** Nodes that host at least one endpoint of this port, with those endpoints. */
  endpointsByNode(): ReadonlyMap<string, readonly ProxyEndpoint[]> {
    if (!this.byNode) {
      const index = new Map<string, ProxyEndpoint[]>();
      for (const ep of this.endpoints) {
        const list = index.get(ep.nodeName);
        if (list) list.push(ep);
        else index.set(ep.nodeName, [ep]);
      }
      this.byNode = index;
    }
    return this.byNode;
  }
}
