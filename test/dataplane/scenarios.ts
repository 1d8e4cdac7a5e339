/**
 * Scenarios of the data-plane suite: the differential scenarios (test/differential/scenarios.ts)
 * plus L4 ones that exercise what kube-proxy does with a Service beyond its endpoints: NodePort on
 * every node, LoadBalancer ingress IPs (status written by the suite), externalIPs, traffic
 * policies, session affinity, source ranges, no endpoints, only terminating endpoints, traffic
 * distribution and topology hints, UDP.
 *
 * LoadBalancer Services name their address in spec.loadBalancerIP (deprecated upstream, still
 * served): the engine allocates that address, and the suite writes the same one into the live
 * status.loadBalancer, as a cloud controller would.
 */
import type { JsonObject } from '../../lib/manifest/objects';
import { deployment, pod, SCENARIOS as DIFFERENTIAL, service, type PortSpec, type Scenario, type ServiceOptions } from '../differential/scenarios';

/** Extra Service fields for L4 behaviour, merged into {@link service}'s spec. */
interface L4 {
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly loadBalancerIP?: string;
  readonly externalIPs?: readonly string[];
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
  readonly sessionAffinity?: 'ClientIP';
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
}

function l4Service(ns: string, name: string, o: Omit<ServiceOptions, 'type'>, l4: L4): JsonObject {
  const base = service(ns, name, o);
  const spec: Record<string, unknown> = { ...(base.spec as object) };
  if (l4.type) spec.type = l4.type;
  if (l4.loadBalancerIP) spec.loadBalancerIP = l4.loadBalancerIP;
  if (l4.externalIPs) spec.externalIPs = l4.externalIPs;
  if (l4.externalTrafficPolicy) spec.externalTrafficPolicy = l4.externalTrafficPolicy;
  if (l4.internalTrafficPolicy) spec.internalTrafficPolicy = l4.internalTrafficPolicy;
  if (l4.sessionAffinity) spec.sessionAffinity = l4.sessionAffinity;
  if (l4.loadBalancerSourceRanges) spec.loadBalancerSourceRanges = l4.loadBalancerSourceRanges;
  const metadata = { ...(base.metadata as object), ...(l4.annotations ? { annotations: l4.annotations } : {}) };
  return { ...base, metadata, spec };
}

/** A bare pod bound to a node (`spec.nodeName`, as a DaemonSet pod is), so a scenario can say where its endpoints are. */
function pinnedPod(ns: string, name: string, nodeName: string, labels: Readonly<Record<string, string>>, ports: readonly PortSpec[]): JsonObject {
  const p = pod(ns, name, labels, ports) as { spec: JsonObject };
  return { ...p, spec: { ...p.spec, nodeName } } as JsonObject;
}

const HTTP: PortSpec = { name: 'http', containerPort: 8080 };
const DNS_UDP: PortSpec = { name: 'dns', containerPort: 5353, protocol: 'UDP' };
const WEB = [{ name: 'http', port: 80, targetPort: 'http' }] as const;

/** The L4 scenarios (all within the three default nodes). */
export const L4_SCENARIOS: readonly Scenario[] = [
  {
    id: 'l4-clusterip',
    title: 'ClusterIP TCP and UDP; a port the Service does not have; one pod unready',
    objects: (ns) => [
      deployment(ns, 'web', { replicas: 4, labels: { app: 'web' }, ports: [HTTP, DNS_UDP] }),
      service(ns, 'web', { selector: { app: 'web' }, ports: [...WEB, { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }] }),
    ],
    steps: [{ type: 'setReady', label: 'web[1] unready', pods: { workload: { kind: 'Deployment', name: 'web' }, indexes: [1] }, ready: false }],
  },
  {
    id: 'l4-nodeport',
    title: 'NodePort on every node, externalTrafficPolicy Cluster and Local (pods on some nodes only)',
    objects: (ns) => [
      deployment(ns, 'np', { replicas: 2, labels: { app: 'np' }, ports: [HTTP, DNS_UDP] }),
      l4Service(ns, 'np-cluster', { selector: { app: 'np' }, ports: [...WEB, { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' }] }, { type: 'NodePort' }),
      l4Service(ns, 'np-local', { selector: { app: 'np' }, ports: [...WEB] }, { type: 'NodePort', externalTrafficPolicy: 'Local' }),
    ],
    steps: [{ type: 'scale', label: 'scale np 2->1', workload: { kind: 'Deployment', name: 'np' }, replicas: 1 }],
  },
  {
    id: 'l4-loadbalancer',
    title: 'LoadBalancer ingress IP: externalTrafficPolicy Cluster and Local (health-check node port), loadBalancerSourceRanges',
    objects: (ns) => [
      deployment(ns, 'lb', { replicas: 2, labels: { app: 'lb' }, ports: [HTTP] }),
      l4Service(ns, 'lb-cluster', { selector: { app: 'lb' }, ports: [...WEB] }, { type: 'LoadBalancer', loadBalancerIP: '192.0.2.201' }),
      l4Service(ns, 'lb-local', { selector: { app: 'lb' }, ports: [...WEB] }, { type: 'LoadBalancer', loadBalancerIP: '192.0.2.202', externalTrafficPolicy: 'Local' }),
      l4Service(ns, 'lb-ranges', { selector: { app: 'lb' }, ports: [...WEB] }, { type: 'LoadBalancer', loadBalancerIP: '192.0.2.203', loadBalancerSourceRanges: ['100.64.0.10/32'] }),
    ],
  },
  {
    id: 'l4-externalips',
    title: 'externalIPs with externalTrafficPolicy Cluster and Local',
    objects: (ns) => [
      deployment(ns, 'ext', { replicas: 2, labels: { app: 'ext' }, ports: [HTTP] }),
      l4Service(ns, 'ext-cluster', { selector: { app: 'ext' }, ports: [...WEB] }, { externalIPs: ['198.51.100.50'] }),
      l4Service(ns, 'ext-local', { selector: { app: 'ext' }, ports: [...WEB] }, { externalIPs: ['198.51.100.51'], externalTrafficPolicy: 'Local' }),
    ],
  },
  {
    id: 'l4-internal-local',
    title: 'internalTrafficPolicy Local: only the client node\'s endpoints, dropped where there are none',
    objects: (ns) => [
      deployment(ns, 'itp', { replicas: 2, labels: { app: 'itp' }, ports: [HTTP] }),
      l4Service(ns, 'itp', { selector: { app: 'itp' }, ports: [...WEB] }, { internalTrafficPolicy: 'Local' }),
    ],
  },
  {
    id: 'l4-affinity',
    title: 'sessionAffinity ClientIP (ClusterIP and NodePort): one pod per client',
    objects: (ns) => [
      deployment(ns, 'sticky', { replicas: 3, labels: { app: 'sticky' }, ports: [HTTP] }),
      l4Service(ns, 'sticky', { selector: { app: 'sticky' }, ports: [...WEB] }, { type: 'NodePort', sessionAffinity: 'ClientIP' }),
    ],
  },
  {
    id: 'l4-no-endpoints',
    title: 'no endpoints: a selector matching nothing, a selector whose pods are all unready',
    objects: (ns) => [
      deployment(ns, 'down', { replicas: 2, labels: { app: 'down' }, ports: [HTTP] }),
      service(ns, 'nothing', { selector: { app: 'nobody' }, ports: [...WEB] }),
      l4Service(ns, 'down', { selector: { app: 'down' }, ports: [...WEB] }, { type: 'NodePort' }),
    ],
    steps: [{ type: 'setReady', label: 'all down pods unready', pods: { workload: { kind: 'Deployment', name: 'down' }, indexes: [0, 1] }, ready: false }],
  },
  {
    id: 'l4-terminating-only',
    title: 'only terminating endpoints: serving terminating pods are used as a fallback, then none',
    objects: (ns) => [
      pod(ns, 'old-0', { app: 'old' }, [HTTP], 'netkit.io/hold'),
      pod(ns, 'old-1', { app: 'old' }, [HTTP], 'netkit.io/hold'),
      service(ns, 'old', { selector: { app: 'old' }, ports: [...WEB] }),
    ],
    steps: [
      { type: 'terminate', label: 'delete both pods', pods: ['old-0', 'old-1'] },
      { type: 'setReady', label: 'old-0 unready', pods: { workload: { kind: 'Pod', name: 'old-0' }, indexes: [0] }, ready: false },
    ],
  },
  {
    // The NodePort timeouts once seen after l4-nodeport's scale-down, made deterministic: a pod's
    // connections to node-2's NodePort that were sent to the endpoint on node-1 failed (the
    // short-circuit finding, docs/dataplane.md) and left SYN_SENT conntrack entries on node-2.
    // Once that endpoint is deleted, new connections reach the pod on node-2 only, as traced; a
    // connection that reuses one of the failed 5-tuples follows the old translation and times out
    // (kube-proxy clears stale conntrack entries of removed endpoints for UDP only). run.ts checks
    // both (STALE_TUPLE_PINS).
    id: 'l4-stale-tcp',
    title: 'stale TCP conntrack after an endpoint goes: new connections as traced, reused 5-tuples follow the old DNAT',
    objects: (ns) => [
      pinnedPod(ns, 'far', 'node-1', { app: 'stale' }, [HTTP]),
      pinnedPod(ns, 'near', 'node-2', { app: 'stale' }, [HTTP]),
      l4Service(ns, 'stale', { selector: { app: 'stale' }, ports: [...WEB] }, { type: 'NodePort', externalTrafficPolicy: 'Local' }),
    ],
    steps: [{ type: 'terminate', label: 'delete far (node-1)', pods: ['far'] }],
  },
  {
    id: 'l4-topology',
    title: 'trafficDistribution PreferSameZone and PreferSameNode, topology-mode Auto hints',
    objects: (ns) => [
      deployment(ns, 'topo', { replicas: 6, labels: { app: 'topo' }, ports: [HTTP] }),
      service(ns, 'same-zone', { selector: { app: 'topo' }, ports: [...WEB], trafficDistribution: 'PreferSameZone' }),
      service(ns, 'same-node', { selector: { app: 'topo' }, ports: [...WEB], trafficDistribution: 'PreferSameNode' }),
      l4Service(ns, 'hints', { selector: { app: 'topo' }, ports: [...WEB] }, { annotations: { 'service.kubernetes.io/topology-mode': 'Auto' } }),
    ],
    steps: [{ type: 'scale', label: 'scale topo 6->2', workload: { kind: 'Deployment', name: 'topo' }, replicas: 2 }],
  },
];

/**
 * Scenarios where, after each step, TCP flows whose connections timed out at the previous
 * checkpoint and that the engine now traces as answered are sent again on the timed-out source
 * ports: each such connection must time out (a known difference: the trace is for a new
 * connection; conntrack keeps the old translation, see README "Data plane").
 */
export const STALE_TUPLE_PINS: ReadonlySet<string> = new Set(['l4-stale-tcp']);

/**
 * Differential scenarios the data plane leaves out, and why: `over-capacity` puts its 1050 pods
 * on three extra nodes added for it, which have no node namespace or kube-proxy here, and its
 * point (Endpoints truncation) is not a data-plane behaviour (kube-proxy reads slices);
 * `dual-stack-families` needs a dual-stack control plane and IPv6 in the namespaces, which
 * test/cluster/dataplane does not set up (the differential suite runs it on a dual-stack cluster).
 */
export const LEFT_OUT: Readonly<Record<string, string>> = {
  'over-capacity': 'its pods run on extra nodes without a node namespace or kube-proxy; Endpoints truncation is not read by kube-proxy',
  'dual-stack-families': 'needs a dual-stack control plane and IPv6 addresses and routes in the namespaces, which test/cluster/dataplane does not set up (the differential suite runs it on a dual-stack cluster)',
};

/** Every scenario of the data-plane suite, in run order. */
export const DATAPLANE_SCENARIOS: readonly Scenario[] = [...DIFFERENTIAL.filter((s) => !LEFT_OUT[s.id]), ...L4_SCENARIOS];
