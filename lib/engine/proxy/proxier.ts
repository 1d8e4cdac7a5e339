/**
 * The kube-proxy model: per-node service tables, following `syncProxyRules` in
 * `pkg/proxy/iptables/proxier.go` (kubernetes). The cluster-wide rules (ClusterIP, externalIPs,
 * LoadBalancer ingress, NodePorts) are indexed once; a node's view adds only what differs on
 * that node (its IP for NodePorts, Local policies, zone hints), computed lazily.
 */
import type { ClusterStateView, NodeInfo, Protocol, ServiceInfo, TrafficPolicy } from '../model';
import type { EndpointSet } from './categorize';
import { ipFamily, type IPFamily } from './endpoints';
import { inAnyRange } from '../../k8s/ip';
import { ServicePortTable } from './table';
import type {
  HealthCheckResult,
  ProxyDecision,
  ProxyFailureCode,
  ProxyPacket,
  ProxyRule,
  ProxyRuleKind,
  TrafficSource,
  WeightedEndpoint,
} from './types';

/** Default `sessionAffinityConfig.clientIP.timeoutSeconds` (`DefaultClientIPServiceAffinitySeconds`). */
export const DEFAULT_AFFINITY_TIMEOUT_SECONDS = 10800;

type VipKind = Exclude<ProxyRuleKind, 'NodePort'>;

interface VipEntry {
  readonly kind: VipKind;
  readonly table: ServicePortTable;
}

function vipKey(ip: string, port: number, protocol: Protocol): string {
  return `${ip}|${port}|${protocol}`;
}

function nodePortKey(port: number, protocol: Protocol, family: IPFamily): string {
  return `${port}|${protocol}|${family}`;
}

/** Services kube-proxy ignores: headless and ExternalName (`ShouldSkipService` upstream). */
export function isProxied(svc: ServiceInfo): boolean {
  return !svc.headless && svc.type !== 'ExternalName' && svc.clusterIPs.length > 0;
}

/** The kube-proxy model of a whole cluster. Build once with {@link ProxyModel.build}, query per node. */
export class ProxyModel {
  /** Build the shared tables from a cluster state. */
  static build(state: ClusterStateView): ProxyModel {
    return new ProxyModel(state);
  }

  private readonly tablesByService = new Map<string, ServicePortTable[]>();
  private readonly vips = new Map<string, VipEntry>();
  private readonly nodePorts = new Map<string, ServicePortTable>();
  private readonly nodesByIP = new Map<string, NodeInfo>();
  private conflictList: { readonly rule: ProxyRule; readonly shadowedBy: string }[] = [];

  private constructor(readonly state: ClusterStateView) {
    this.indexNodes();
    const keys = [...state.services.keys()].sort();
    for (const key of keys) {
      const svc = state.services.get(key);
      if (svc && isProxied(svc)) this.addService(key, svc);
    }
  }

  /** Rules that lost to an earlier Service for the same address (reported, not routed). */
  get conflicts(): readonly { readonly rule: ProxyRule; readonly shadowedBy: string }[] {
    return this.conflictList;
  }

  /**
   * Re-read some Services (and their EndpointSlices) from the state after it changed, as
   * kube-proxy does on watch events (`pkg/proxy/servicechangetracker.go`, `endpointschangetracker.go`);
   * the rest of the tables is untouched. Node changes are picked up too.
   */
  refresh(serviceKeys: Iterable<string>): void {
    this.indexNodes();
    const pending = new Set(serviceKeys);
    const done = new Set<string>();
    for (const key of pending) {
      if (done.has(key)) continue;
      done.add(key);
      // Services this one shadowed may now own the address: re-add them as well.
      for (const c of this.conflictList) if (c.shadowedBy === key) pending.add(c.rule.service);
      this.removeService(key);
      const svc = this.state.services.get(key);
      if (svc && isProxied(svc)) this.addService(key, svc);
    }
  }

  /** {@link refresh} for the Services named by Endpoints/EndpointSlice watch events of `Cluster.apply`. */
  applyEvents(events: Iterable<{ readonly kind: string; readonly object: { readonly namespace: string; readonly name: string; readonly serviceName?: string } }>): void {
    const keys = new Set<string>();
    for (const e of events) keys.add(`${e.object.namespace}/${e.kind === 'EndpointSlice' && e.object.serviceName ? e.object.serviceName : e.object.name}`);
    this.refresh(keys);
  }

  private indexNodes(): void {
    this.nodesByIP.clear();
    for (const node of this.state.nodes.values()) this.nodesByIP.set(node.internalIP, node);
  }

  private removeService(key: string): void {
    for (const [k, entry] of this.vips) if (entry.table.serviceKey === key) this.vips.delete(k);
    for (const [k, table] of this.nodePorts) if (table.serviceKey === key) this.nodePorts.delete(k);
    this.conflictList = this.conflictList.filter((c) => c.rule.service !== key && c.shadowedBy !== key);
    this.tablesByService.delete(key);
  }

  private addService(key: string, svc: ServiceInfo): void {
    const slices = this.state.endpointSlices.get(key);
    // The ClusterIPs' families in first-seen order (one or two): a list, not a Set and a Map per port.
    const families: IPFamily[] = [];
    for (const ip of svc.clusterIPs) {
      const f = ipFamily(ip);
      if (!families.includes(f)) families.push(f);
    }
    const tables: ServicePortTable[] = [];
    for (const port of svc.ports) {
      // byFamily[i] is the table of families[i].
      const byFamily: ServicePortTable[] = [];
      for (const family of families) {
        const table = new ServicePortTable(svc, port, family, slices);
        byFamily.push(table);
        tables.push(table);
      }
      const tableFor = (ip: string): ServicePortTable | undefined => {
        const i = families.indexOf(ipFamily(ip));
        return i < 0 ? undefined : byFamily[i];
      };
      for (const ip of svc.clusterIPs) this.addVip('ClusterIP', ip, tableFor(ip));
      for (const ip of svc.externalIPs) this.addVip('ExternalIP', ip, tableFor(ip));
      for (const ip of svc.loadBalancerIPs) this.addVip('LoadBalancer', ip, tableFor(ip));
      if (port.nodePort !== undefined) {
        for (let i = 0; i < families.length; i++) {
          const family = families[i];
          const table = byFamily[i];
          const npKey = nodePortKey(port.nodePort, port.protocol, family);
          const prior = this.nodePorts.get(npKey);
          if (prior) {
            this.conflictList.push({ rule: ruleOf('NodePort', '*', port.nodePort, table), shadowedBy: prior.serviceKey });
          } else {
            this.nodePorts.set(npKey, table);
          }
        }
      }
    }
    this.tablesByService.set(key, tables);
  }

  private addVip(kind: VipKind, ip: string, table: ServicePortTable | undefined): void {
    // An address whose family the Service has no cluster IP for gets no rule (single-stack proxier).
    if (!table) return;
    const key = vipKey(ip, table.port.port, table.port.protocol);
    const prior = this.vips.get(key);
    if (prior) {
      this.conflictList.push({ rule: ruleOf(kind, ip, table.port.port, table), shadowedBy: prior.table.serviceKey });
      return;
    }
    this.vips.set(key, { kind, table });
  }

  /** The shared tables of one Service (one per port and IP family); empty for unproxied Services. */
  tables(serviceKey: string): readonly ServicePortTable[] {
    return this.tablesByService.get(serviceKey) ?? [];
  }

  /** The node whose InternalIP is `ip`. */
  nodeByIP(ip: string): NodeInfo | undefined {
    return this.nodesByIP.get(ip);
  }

  /** The rules of one Service as installed on `nodeName` (NodePorts bound to that node's IP). */
  rulesFor(serviceKey: string, nodeName?: string): ProxyRule[] {
    const node = nodeName ? this.state.nodes.get(nodeName) : undefined;
    const rules: ProxyRule[] = [];
    for (const table of this.tables(serviceKey)) {
      const { service: svc, port } = table;
      const same = (ip: string): boolean => ipFamily(ip) === table.family;
      for (const ip of svc.clusterIPs.filter(same)) rules.push(ruleOf('ClusterIP', ip, port.port, table));
      for (const ip of svc.externalIPs.filter(same)) rules.push(ruleOf('ExternalIP', ip, port.port, table));
      for (const ip of svc.loadBalancerIPs.filter(same)) rules.push(ruleOf('LoadBalancer', ip, port.port, table));
      if (port.nodePort !== undefined) rules.push(ruleOf('NodePort', node?.internalIP ?? '*', port.nodePort, table));
    }
    return rules;
  }

  /**
   * What `healthCheckNodePort` answers on a node (`pkg/proxy/healthcheck/service_health.go`):
   * 200 with the number of distinct ready local endpoint IPs, or 503 when there are none.
   * `undefined` when the Service has no health-check node port (not `externalTrafficPolicy: Local`).
   */
  healthCheck(serviceKey: string, nodeName: string): HealthCheckResult | undefined {
    const tables = this.tables(serviceKey);
    const first = tables[0];
    if (!first || !first.externalPolicyLocal || first.service.type !== 'LoadBalancer') return undefined;
    const ips = new Set<string>();
    for (const table of tables) {
      for (const ep of table.endpointsByNode().get(nodeName) ?? []) if (ep.ready) ips.add(ep.ip);
    }
    return { status: ips.size > 0 ? 200 : 503, localEndpoints: ips.size };
  }

  /** Run a packet through the service rules of the node it traverses. */
  lookup(packet: ProxyPacket): ProxyDecision {
    const node = this.state.nodes.get(packet.node);
    if (!node) return { action: 'none' };
    const vip = this.vips.get(vipKey(packet.dstIP, packet.dstPort, packet.protocol));
    if (vip) return this.decide(vip.kind, vip.table, packet, node, packet.dstIP, packet.dstPort);
    // KUBE-NODEPORTS is reached only for destinations local to this node (`--dst-type LOCAL`).
    if (packet.dstIP === node.internalIP) {
      const table = this.nodePorts.get(nodePortKey(packet.dstPort, packet.protocol, ipFamily(packet.dstIP)));
      if (table) return this.decide('NodePort', table, packet, node, node.internalIP, packet.dstPort);
    }
    return { action: 'none' };
  }

  private decide(
    kind: ProxyRuleKind,
    table: ServicePortTable,
    packet: ProxyPacket,
    node: NodeInfo,
    ip: string,
    port: number,
  ): ProxyDecision {
    const rule = ruleOf(kind, ip, port, table);
    const svcName = table.serviceKey + (table.port.name ? `:${table.port.name}` : '');
    if (!table.hasEndpoints) {
      return fail('reject', rule, 'no-endpoints', `${svcName} has no ready or serving endpoints; kube-proxy rejects the connection (ICMP port unreachable / TCP RST)`);
    }
    if (kind === 'ClusterIP') {
      if (table.internalPolicyLocal) {
        const set = table.localSet(node.name);
        if (set.endpoints.length === 0) {
          return fail('drop', rule, 'no-local-endpoints-internal', `${svcName} has internalTrafficPolicy: Local and no endpoint on node ${node.name}; kube-proxy drops the packet`);
        }
        return forward(rule, 'Local', set, false, table, packet.source);
      }
      return forward(rule, 'Cluster', table.clusterSet(node.name, node.zone), false, table, packet.source);
    }
    if (kind === 'LoadBalancer' && table.service.loadBalancerSourceRanges.length > 0) {
      const ranges = table.service.loadBalancerSourceRanges;
      // KUBE-FW chain: only sources inside the ranges reach the EXT chain (a node's own traffic
      // is admitted when the node IP is in range, which is the source IP we model for it).
      if (!inAnyRange(packet.source.ip, ranges)) {
        return fail('drop', rule, 'source-range', `source ${packet.source.ip} is outside loadBalancerSourceRanges [${ranges.join(', ')}] of ${table.serviceKey}; the firewall chain drops it`);
      }
    }
    return this.external(rule, table, packet.source, node, svcName);
  }

  /** The service's EXT chain: NodePort, LoadBalancer and externalIP traffic. */
  private external(rule: ProxyRule, table: ServicePortTable, source: TrafficSource, node: NodeInfo, svcName: string): ProxyDecision {
    if (!table.externalPolicyLocal) return forward(rule, 'Cluster', table.clusterSet(node.name, node.zone), false, table, source);
    // Pod traffic and traffic from this node's own host network skip Local policy (short-circuit).
    if (source.kind === 'pod' || (source.kind === 'node' && source.name === node.name)) {
      return forward(rule, 'Cluster', table.clusterSet(node.name, node.zone), true, table, source);
    }
    const set = table.localSet(node.name);
    if (set.endpoints.length === 0) {
      return fail('drop', rule, 'no-local-endpoints-external', `${svcName} has externalTrafficPolicy: Local and no endpoint on node ${node.name}; kube-proxy drops external traffic there`);
    }
    return forward(rule, 'Local', set, false, table, source);
  }
}

function ruleOf(kind: ProxyRuleKind, ip: string, port: number, table: ServicePortTable): ProxyRule {
  return { kind, service: table.serviceKey, portName: table.port.name, ip, port, protocol: table.port.protocol };
}

function fail(action: 'reject' | 'drop', rule: ProxyRule, code: ProxyFailureCode, reason: string): ProxyDecision {
  return { action, rule, code, reason };
}

function forward(
  rule: ProxyRule,
  policy: TrafficPolicy,
  set: EndpointSet,
  shortCircuit: boolean,
  table: ServicePortTable,
  source: TrafficSource,
): ProxyDecision {
  const n = set.endpoints.length;
  const endpoints: WeightedEndpoint[] = set.endpoints.map((endpoint) => ({ endpoint, probability: 1 / n }));
  const svc = table.service;
  return {
    action: 'forward',
    rule,
    policy,
    shortCircuit,
    topologyZone: set.topologyZone,
    topologyNode: set.topologyNode,
    terminatingFallback: set.terminatingFallback,
    endpoints,
    affinity:
      svc.sessionAffinity === 'ClientIP'
        ? { clientIP: source.ip, timeoutSeconds: svc.sessionAffinityTimeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS }
        : undefined,
  };
}
