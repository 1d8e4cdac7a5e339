/**
 * `npm run test:dataplane`: `netkit trace` and the DNS model against real packets. For each
 * kube-proxy mode (nftables, then iptables) it starts the data plane
 * (`test/cluster/dataplane up --mode M`) on the running local control plane (test/cluster/up),
 * runs every scenario of scenarios.ts in its own namespace, and at each checkpoint:
 *
 * 1. builds the engine from what is live (the live pods with their IPs and nodes, the live
 *    Services with their allocated cluster IPs and node ports; endpoints computed by the engine),
 * 2. gives every pod its address and a server per declared TCP/UDP port in its node's pods
 *    namespace, and waits until every kube-proxy has synced,
 * 3. for each flow (client x Service address x port), traces it with the engine and opens
 *    connections through real kube-proxy; judge.ts compares (shares within a bound, reject/drop
 *    class, one pod per client under affinity),
 * 4. asks CoreDNS every name the engine's DNS model answers for the namespace, and resolves short
 *    names through glibc with a pod's resolv.conf (dns.ts).
 *
 *   ts-node --transpile-only test/dataplane/run.ts [--modes nftables,iptables] [--only id,id] [--no-dns]
 *
 * The data plane is stopped (`test/cluster/dataplane down`) after each mode and on any exit,
 * signals included. Exit 0 when everything agrees, 2 on a difference, 1 when the run fails.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { KubeApiError } from '../../lib/apply/types';
import type { KubeObject } from '../../lib/apply/types';
import type { ObjectResult } from '../../lib/apply/apply';
import { Cluster } from '../../lib/engine/cluster';
import { inAnyRange } from '../../lib/k8s/ip';
import { connect, TraceContext, type Trace, type TraceSource } from '../../lib/engine/trace';
import { fromObjects, type JsonObject } from '../../lib/manifest/objects';
import { connectLive, kubeconfigPath, type LiveCluster } from '../differential/cluster';
import { podManifest, type LiveSnapshot } from '../differential/compare';
import { sleep } from '../differential/poll';
import { engineProfile, isPodNames, pickPods } from '../differential/scenario-run';
import type { Scenario, Step } from '../differential/scenarios';
import { replicasOf, settle } from '../differential/settle';
import { Agents, readEnv, type DataplaneEnv, type ProbeResult, type ServedEndpoint } from './agents';
import { answerDifference, digAll, engineAnswer, engineResolved, getentAll, namesFor, searchNamesFor } from './dns';
import { concurrencyFor, connectionsFor, expectation, judge, outcomes, MAX_CONCURRENCY, pooledConnections, poolKey, type Expectation, type FlowKind } from './judge';
import { DATAPLANE_SCENARIOS, LEFT_OUT, STALE_TUPLE_PINS } from './scenarios';

const ROOT = path.join(__dirname, '..', '..');
const DATAPLANE = path.join(ROOT, 'test', 'cluster', 'dataplane');
const STATE_DIR = process.env.NETKIT_CLUSTER_STATE || path.join(ROOT, '.cluster');
type Mode = 'nftables' | 'iptables';
/** Per-connection timeout: a dropped connection counts as `timeout` after this (longer than one SYN retransmission, 1 s, so a SYN lost while a fresh neighbour entry resolves is not a timeout). */
const CONNECT_TIMEOUT_MS = 3000;

interface Args { modes: Mode[]; only?: Set<string>; dns: boolean }

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { modes: ['nftables', 'iptables'], dns: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--modes') {
      const v = (argv[++i] ?? '').split(',').filter(Boolean);
      if (v.length === 0 || v.some((m) => m !== 'nftables' && m !== 'iptables')) return '--modes takes nftables,iptables';
      a.modes = v as Mode[];
    } else if (x === '--only') {
      a.only = new Set((argv[++i] ?? '').split(',').filter(Boolean));
      const unknown = [...a.only].filter((id) => !DATAPLANE_SCENARIOS.some((s) => s.id === id));
      if (unknown.length > 0) return `unknown scenario(s) ${unknown.join(', ')}; known: ${DATAPLANE_SCENARIOS.map((s) => s.id).join(', ')}`;
    } else if (x === '--no-dns') a.dns = false;
    else return `unknown argument ${x} (use --modes, --only, --no-dns)`;
  }
  return a;
}

/** One checkpoint's results. */
interface CheckpointReport {
  readonly mode: Mode;
  readonly scenario: string;
  readonly label: string;
  flows: number;
  connections: number;
  names: number;
  readonly problems: string[];
}

// ---------------------------------------------------------------- live side

const ENDPOINT_KINDS = new Set(['Service', 'Endpoints', 'EndpointSlice']);

/** A bare client pod on each node (no ports, labels no Service selects): the pod-side source of flows. */
function clientPods(ns: string, env: DataplaneEnv): JsonObject[] {
  return env.nodes.map((n) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `client-${n.name}`, namespace: ns, labels: { 'netkit.io/dataplane': 'client' } },
    spec: { nodeName: n.name, containers: [{ name: 'client', image: 'registry.invalid/client:1' }], terminationGracePeriodSeconds: 0 },
  }));
}

/** As a cloud controller would: status.loadBalancer.ingress of each LoadBalancer Service = its spec.loadBalancerIP. */
async function writeLoadBalancerStatus(live: LiveCluster, ns: string, objects: readonly JsonObject[]): Promise<void> {
  for (const o of objects) {
    const spec = o.spec as { type?: string; loadBalancerIP?: string } | undefined;
    if (o.kind !== 'Service' || spec?.type !== 'LoadBalancer' || !spec.loadBalancerIP) continue;
    const name = (o.metadata as { name: string }).name;
    await live.raw('PATCH', `/api/v1/namespaces/${ns}/services/${name}/status`, { status: { loadBalancer: { ingress: [{ ip: spec.loadBalancerIP }] } } }, 'application/merge-patch+json');
  }
}

async function liveStep(live: LiveCluster, ns: string, step: Step, objects: JsonObject[], snap: LiveSnapshot): Promise<JsonObject[]> {
  switch (step.type) {
    case 'scale': {
      const next = objects.map((o) => (o.kind === step.workload.kind && (o.metadata as { name: string }).name === step.workload.name ? { ...o, spec: { ...(o.spec as object), replicas: step.replicas } } : o));
      await live.apply(next.filter((o) => o.kind === step.workload.kind && (o.metadata as { name: string }).name === step.workload.name));
      return next;
    }
    case 'setReady':
      for (const p of pickPods(objects, snap, step.pods)) await live.setPodReady(ns, p.metadata.name, step.ready);
      return objects;
    case 'terminate': {
      const names = isPodNames(step.pods) ? step.pods : pickPods(objects, snap, step.pods).map((p) => p.metadata.name);
      for (const name of names) await live.client.delete({ apiVersion: 'v1', kind: 'Pod', namespace: ns, name }, { dryRun: false });
      // A bare pod no finalizer holds goes away; one held stays Terminating (workload pods are not in `objects`).
      const gone = (o: JsonObject): boolean => o.kind === 'Pod' && names.includes((o.metadata as { name: string }).name)
        && ((o.metadata as { finalizers?: string[] }).finalizers ?? []).length === 0;
      return objects.filter((o) => !gone(o));
    }
  }
}

/** A live Service as a manifest that keeps what the API server allocated (cluster IPs, node ports). */
function serviceManifest(s: KubeObject): JsonObject {
  const { name, namespace, labels, annotations } = s.metadata;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, spec: s.spec as JsonObject };
}

/** The engine fed what is live: pods (names, IPs, nodes, readiness), Services as allocated, hand-written endpoints. */
function replay(objects: readonly JsonObject[], snap: LiveSnapshot, live: LiveCluster): Cluster {
  const handWritten = objects.filter((o) => o.kind === 'Endpoints' || o.kind === 'EndpointSlice');
  const pods = snap.pods.map(podManifest).filter((p): p is JsonObject => p !== undefined);
  const loaded = fromObjects([...snap.services.map(serviceManifest), ...handWritten, ...pods], '<dataplane>');
  if (loaded.errors.length > 0) throw new Error(`replay manifests do not load: ${loaded.errors.map(String).join('; ')}`);
  // The live API server's own `default/kubernetes` (no endpoints there): without it the engine
  // would put the API server on the first node's address and the harness would serve that address
  // outside, taking node-1's address off the fabric.
  return Cluster.build(loaded.objects, engineProfile(live, snap.nodes));
}

// ---------------------------------------------------------------- serving and syncing

/**
 * Every live pod with an IP gets its address and servers in its node's pods namespace (a
 * hostNetwork pod: servers on its node's own address, in the node namespace); non-pod endpoint
 * addresses live in the external namespace.
 */
async function servePods(agents: Agents, engine: Cluster): Promise<void> {
  const byNode = new Map<string, ServedEndpoint[]>(agents.env.nodes.map((n) => [n.name, []]));
  const onNode = new Map<string, ServedEndpoint[]>(agents.env.nodes.map((n) => [n.name, []]));
  const podIPs = new Set<string>();
  for (const p of engine.pods.values()) {
    podIPs.add(p.ip);
    const ports = p.containerPorts.filter((c) => c.protocol !== 'SCTP').map((c) => ({ port: c.containerPort, protocol: c.protocol }));
    if (p.hostNetwork) onNode.get(p.nodeName)?.push({ name: `${p.namespace}/${p.name}`, ip: p.ip, ports, own: true });
    else byNode.get(p.nodeName)?.push({ name: `${p.namespace}/${p.name}`, ip: p.ip, ports });
  }
  const nodeIPs = new Set([...engine.nodes.values()].map((n) => n.internalIP));
  const outside = new Map<string, Map<string, { port: number; protocol: string }>>();
  for (const slices of engine.endpointSlices.values()) {
    for (const s of slices) {
      for (const e of s.endpoints) {
        const ip = e.addresses[0];
        // A node's own address stays on its node namespace (taking it outside would cut the node
        // off the fabric); IPv6 addresses are not served: the namespaces are IPv4 only and the
        // IPv4 kube-proxy skips IPv6 slices (the mirroring scenario's Endpoints mix families).
        if (ip === undefined || podIPs.has(ip) || nodeIPs.has(ip) || ip.includes(':')) continue;
        const ports = outside.get(ip) ?? new Map<string, { port: number; protocol: string }>();
        for (const p of s.ports) if (p.protocol !== 'SCTP') ports.set(`${p.port}/${p.protocol}`, { port: p.port, protocol: p.protocol });
        outside.set(ip, ports);
      }
    }
  }
  // The namespaces route pod addresses by node podCIDR. KWOK v0.8.0 hands out addresses past a
  // node's podCIDR when its pool runs out (ipPool.new in pkg/kwok/controllers/utils.go has no
  // bound; seen after a few hundred pods came and went on one node), so such a pod gets a host
  // route to its node everywhere, as a CNI that routes per pod would give it.
  const routes = new Map<string, { dst: string; via?: string; dev?: string }[]>([...agents.env.nodes.map((n) => n.name), 'external'].map((a) => [a, []]));
  for (const p of engine.pods.values()) {
    const node = engine.nodes.get(p.nodeName);
    if (p.hostNetwork || !node || !byNode.has(p.nodeName) || inAnyRange(p.ip, [node.podCIDR])) continue;
    for (const [agent, list] of routes) list.push(agent === p.nodeName ? { dst: `${p.ip}/32`, dev: 'vpods' } : { dst: `${p.ip}/32`, via: node.internalIP });
  }
  await Promise.all([...routes].map(([agent, list]) => agents.routes(agent, list)));
  await Promise.all([
    ...[...byNode].map(([node, eps]) => agents.serve(`${node}-pods`, eps)),
    ...[...onNode].map(([node, eps]) => agents.serve(node, eps)),
    agents.serve('external', [...outside].map(([ip, ports]) => ({ name: ip, ip, ports: [...ports.values()] }))),
  ]);
}

/** Pods (not hostNetwork) the cluster gave one address: the data plane cannot serve both, so the run says so instead of comparing. */
function sharedAddresses(engine: Cluster): string[] {
  const byIP = new Map<string, string[]>();
  for (const p of engine.pods.values()) if (!p.hostNetwork) byIP.set(p.ip, [...(byIP.get(p.ip) ?? []), `${p.namespace}/${p.name}`]);
  return [...byIP].filter(([, pods]) => pods.length > 1).map(([ip, pods]) => `test setup: pods ${pods.join(', ')} were given one address ${ip} (KWOK's address pool)`);
}

/** A sample of a Prometheus metric: the IPv4 one when it has an ip_family label, else the unlabelled one. */
function metric(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{ip_family="IPv4"\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Wait until every kube-proxy has synced after `sinceMs` with nothing pending (its /metrics, read inside the node namespace). */
async function waitProxiesSynced(agents: Agents, sinceMs: number, timeoutMs = 90_000): Promise<string[]> {
  await sleep(500);
  const deadline = Date.now() + timeoutMs;
  const late: string[] = [];
  for (const n of agents.env.nodes) {
    for (;;) {
      const r = await agents.http(n.name, 'http://127.0.0.1:10249/metrics');
      const body = r.body ?? '';
      const last = metric(body, 'kubeproxy_sync_proxy_rules_last_timestamp_seconds');
      const pending = (metric(body, 'kubeproxy_sync_proxy_rules_endpoint_changes_pending') ?? 0) + (metric(body, 'kubeproxy_sync_proxy_rules_service_changes_pending') ?? 0);
      // Synced: nothing pending, and a sync after the last change, or (a change kube-proxy
      // does not care about, e.g. only ExternalName Services) nothing pending for 5 s.
      if (last !== undefined && pending === 0 && (last * 1000 >= sinceMs - 1000 || Date.now() - deadline + timeoutMs > 5000)) break;
      if (Date.now() > deadline) { late.push(`kube-proxy on ${n.name} did not sync within ${timeoutMs / 1000}s (last sync ${last}, pending ${pending})`); break; }
      await sleep(200);
    }
  }
  return late;
}

// ---------------------------------------------------------------- flows

interface Client {
  readonly label: string;
  readonly agent: string;
  readonly src?: string;
  readonly from: TraceSource;
  readonly external: boolean;
}

interface Flow {
  readonly client: Client;
  readonly kind: FlowKind;
  readonly service: string;
  readonly dst: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

function flowsFor(engine: Cluster, ns: string, env: DataplaneEnv): Flow[] {
  const nodes: Client[] = env.nodes.map((n) => ({ label: `node ${n.name}`, agent: n.name, from: { node: n.name }, external: false }));
  const pods: Client[] = env.nodes.flatMap((n) => {
    const p = engine.pods.get(`${ns}/client-${n.name}`);
    return p ? [{ label: `pod ${p.namespace}/${p.name}`, agent: `${n.name}-pods`, src: p.ip, from: { pod: `${p.namespace}/${p.name}` }, external: false }] : [];
  });
  const services = [...engine.services.values()].filter((s) => s.namespace === ns && s.type !== 'ExternalName' && !s.headless && s.clusterIPs.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  const ranged = services.some((s) => s.loadBalancerSourceRanges.length > 0);
  const external: Client[] = env.externalSources.slice(0, ranged ? 2 : 1).map((ip) => ({ label: `external ${ip}`, agent: 'external', src: ip, from: { external: ip }, external: true }));
  const flows: Flow[] = [];
  for (const svc of services) {
    const key = `${svc.namespace}/${svc.name}`;
    const ports = svc.ports.filter((p): p is typeof p & { protocol: 'TCP' | 'UDP' } => p.protocol === 'TCP' || p.protocol === 'UDP');
    for (const [i, p] of ports.entries()) {
      const add = (clients: readonly Client[], kind: FlowKind, dst: string, port: number): void => {
        for (const client of clients) flows.push({ client, kind, service: key, dst, port, protocol: p.protocol });
      };
      add([...nodes, ...pods], 'cluster-ip', svc.clusterIPs[0], p.port);
      if (i === 0) add(external.slice(0, 1), 'cluster-ip', svc.clusterIPs[0], p.port);
      if (p.nodePort !== undefined) {
        for (const n of engine.nodes.values()) {
          if (!env.nodes.some((e) => e.name === n.name)) continue;
          add([...external, ...pods.slice(0, 1)], 'node-port', n.internalIP, p.nodePort);
        }
      }
      for (const ip of svc.loadBalancerIPs) add([...external, ...nodes.slice(0, 1), ...pods.slice(0, 1)], 'load-balancer', ip, p.port);
      for (const ip of svc.externalIPs) add([...external, ...nodes.slice(0, 1), ...pods.slice(0, 1)], 'external-ip', ip, p.port);
    }
    // A port the Service does not have.
    const unused = [1, 2, 3].find((x) => !svc.ports.some((p) => p.port === x)) ?? 4;
    flows.push({ client: nodes[0], kind: 'cluster-ip-wrong-port', service: key, dst: svc.clusterIPs[0], port: unused, protocol: 'TCP' });
  }
  return flows;
}

function merge(a: ProbeResult, b: ProbeResult): ProbeResult {
  const add = (x: Readonly<Record<string, number>>, y: Readonly<Record<string, number>>): Record<string, number> => {
    const out: Record<string, number> = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return { answers: add(a.answers, b.answers), errors: add(a.errors, b.errors), timeoutPorts: [...(a.timeoutPorts ?? []), ...(b.timeoutPorts ?? [])] };
}

/** What one flow did: its problems, the connections made, and what a stale-tuple check needs. */
interface FlowRun {
  readonly problems: string[];
  readonly connections: number;
  /** What its connections saw (empty when none were made). */
  readonly seen: ProbeResult;
  /** Source ports of the connections that timed out. */
  readonly timeoutPorts: readonly number[];
  /** Every share the trace gives is a pod or endpoint answering (no failure, drop or refusal expected). */
  readonly allAnswered: boolean;
  /** When its connections ended (Date.now()). */
  readonly at: number;
}

const flowKey = (f: Flow): string => `${f.client.label}|${f.dst}|${f.port}|${f.protocol}`;
const flowLabel = (f: Flow): string => `${f.client.label} -> ${f.dst}:${f.port}/${f.protocol} (${f.kind} of ${f.service})`;

/** A flow with its trace's expectation and the connections it gets. */
interface PlannedFlow {
  readonly flow: Flow;
  readonly trace: Trace;
  readonly e: Expectation;
  readonly pool?: string;
  n: number;
}

/**
 * Trace every flow and size it: flows of one pool (poolKey: same node's kube-proxy, same Service
 * port, same expected shares) share one connection count, sized for the pool's coverage
 * (connectionsFor), split evenly, each at least MIN_POOLED_CONNECTIONS; other flows get
 * connectionsFor on their own.
 */
function planFlows(flows: readonly Flow[], engine: Cluster, ctx: TraceContext, mode: Mode): PlannedFlow[] {
  const planned: PlannedFlow[] = flows.map((flow) => {
    const trace = connect({ from: flow.client.from, to: flow.dst, port: flow.port, protocol: flow.protocol }, engine, ctx);
    const e = expectation(trace, engine, mode, flow.kind);
    const external = flow.client.external && (flow.kind === 'load-balancer' || flow.kind === 'external-ip');
    return { flow, trace, e, pool: external ? undefined : poolKey(trace, e), n: connectionsFor(e) };
  });
  const members = new Map<string, PlannedFlow[]>();
  for (const p of planned) if (p.pool !== undefined) members.set(p.pool, [...(members.get(p.pool) ?? []), p]);
  for (const group of members.values()) {
    const per = pooledConnections(group[0].n, group.length);
    for (const p of group) p.n = per;
  }
  return planned;
}

/** Run one planned flow and judge it on its own. */
async function runFlow(plan: PlannedFlow, engine: Cluster, ctx: TraceContext, agents: Agents): Promise<FlowRun> {
  const { flow, trace, e, n } = plan;
  const label = flowLabel(flow);
  const req = { src: flow.client.src, dst: flow.dst, port: flow.port, protocol: flow.protocol, timeoutMs: CONNECT_TIMEOUT_MS, concurrency: concurrencyFor(e) };
  const problems: string[] = [];
  let seen: ProbeResult = { answers: {}, errors: {} };
  let made = 0;
  if (flow.client.external && (flow.kind === 'load-balancer' || flow.kind === 'external-ip')) {
    // The network in front of the nodes: an external address reaches some node, chosen by the
    // load balancer. For LoadBalancer Services with externalTrafficPolicy Local the load balancer
    // sends only to nodes whose healthCheckNodePort answers 200 (asked of the real kube-proxy);
    // otherwise to every node, evenly (as the engine assumes).
    const svc = engine.services.get(flow.service);
    let entry = [...engine.nodes.values()].filter((x) => x.ready && agents.env.nodes.some((m) => m.name === x.name)).sort((a, b) => a.name.localeCompare(b.name));
    if (flow.kind === 'load-balancer' && svc?.externalTrafficPolicy === 'Local' && svc.healthCheckNodePort) {
      const healthy: typeof entry = [];
      for (const node of entry) {
        const r = await agents.http('external', `http://${node.internalIP}:${svc.healthCheckNodePort}/`);
        const want = ctx.proxy.healthCheck(flow.service, node.name)?.status;
        if (r.status !== want) problems.push(`health check of ${flow.service} on ${node.name}: kube-proxy answers ${r.status ?? r.error}, the engine ${want}`);
        if (r.status === 200) healthy.push(node);
      }
      entry = healthy;
    }
    if (entry.length === 0) {
      // Nothing for the load balancer to send to: the engine must say the connection fails for lack of local endpoints.
      if (trace.ok || trace.failure?.code !== 'no-local-endpoints') problems.push(`no node passes the health check, but the engine traces ${trace.ok ? 'success' : trace.failure?.code}`);
      return { problems: problems.map((p) => `${label}: ${p}`), connections: 0, seen, timeoutPorts: [], allAnswered: false, at: Date.now() };
    }
    const per = Math.ceil(n / entry.length);
    for (const node of entry) {
      await agents.route('external', `${flow.dst}/32`, node.internalIP);
      try {
        seen = merge(seen, await agents.probe('external', { ...req, count: per }));
        made += per;
      } finally {
        await agents.route('external', `${flow.dst}/32`, null);
      }
    }
  } else {
    seen = await agents.probe(flow.client.agent, { ...req, count: n });
    made = n;
  }
  problems.push(...judge(e, outcomes(seen)));
  const allAnswered = !e.failure && [...e.shares.keys()].every((k) => !FAILURE_OUTCOMES.has(k));
  const timeoutPorts = seen.timeoutPorts ?? [];
  return { problems: problems.length > 0 ? [describe(label, e, outcomes(seen), problems)] : [], connections: made, seen, timeoutPorts, allAnswered, at: Date.now() };
}

function describe(label: string, e: Expectation, got: ReadonlyMap<string, number>, problems: readonly string[]): string {
  const want = [...e.shares].map(([k, p]) => `${k} ${(p * 100).toFixed(1)}%`).join(', ');
  const seen = [...got].map(([k, c]) => `${k} ${c}`).join(', ');
  return `${label}: ${problems.join('; ')} [engine: ${want}${e.sticky ? ', sticky' : ''}${e.known ? `, known difference ${e.known}` : ''}; seen: ${seen}]`;
}

/** The pools' own judgement: their flows' connections summed (coverage and counts over the pool). */
function judgePools(planned: readonly PlannedFlow[], runs: ReadonlyMap<string, FlowRun>): string[] {
  const pools = new Map<string, PlannedFlow[]>();
  for (const p of planned) if (p.pool !== undefined) pools.set(p.pool, [...(pools.get(p.pool) ?? []), p]);
  const problems: string[] = [];
  for (const group of pools.values()) {
    if (group.length < 2) continue;
    const sum = group.map((p) => runs.get(flowKey(p.flow))?.seen ?? { answers: {}, errors: {} }).reduce(merge);
    const found = judge(group[0].e, outcomes(sum));
    if (found.length > 0) problems.push(describe(`pool of ${group.length} flows (${group.map((p) => flowLabel(p.flow)).join('; ')})`, group[0].e, outcomes(sum), found));
  }
  return problems;
}

const FAILURE_OUTCOMES: ReadonlySet<string> = new Set(['refused', 'timeout', 'unreachable']);

/** Failing flows run side by side, this many at a time. */
const FAILING_FLOWS_AT_ONCE = 16;

/**
 * A flow the trace says fails, not entering through the external client's per-address route
 * (those change a route of the external namespace, one flow at a time): it runs alongside others.
 */
function runsAlongside(p: PlannedFlow): boolean {
  return p.e.failure !== undefined && !(p.flow.client.external && (p.flow.kind === 'load-balancer' || p.flow.kind === 'external-ip'));
}

/** Timed-out TCP connections of a checkpoint, per flow, for the stale-tuple check of the next one. */
type TimedOut = Map<string, { readonly ports: readonly number[]; readonly at: number }>;

/** Reuse at most this many timed-out source ports per flow. */
const STALE_PORTS = 32;
/**
 * Only ports that timed out this recently: a TCP conntrack entry in SYN_SENT lives 120 s
 * (nf_conntrack_tcp_timeout_syn_sent) after the connection's last SYN.
 */
const STALE_MAX_AGE_MS = 90_000;

/**
 * The stale-tuple pin (STALE_TUPLE_PINS): a TCP flow whose connections timed out at the previous
 * checkpoint and that the engine now traces as answered, sent again on the timed-out source
 * ports, must time out every time: the node that translated those connections still has their
 * conntrack entries (kube-proxy's CleanStaleEntries in pkg/proxy/conntrack/cleanup.go clears
 * entries of removed endpoints for UDP only), so a SYN on the same 5-tuple is a retransmission
 * to the old endpoint. Returns the flows checked, the connections, and problems.
 */
async function checkStaleTuples(flows: readonly Flow[], runs: ReadonlyMap<string, FlowRun>, before: TimedOut, agents: Agents): Promise<{ flows: number; connections: number; problems: string[] }> {
  const out = { flows: 0, connections: 0, problems: [] as string[] };
  for (const flow of flows) {
    const key = flowKey(flow);
    const prev = before.get(key);
    const now = runs.get(key);
    if (flow.protocol !== 'TCP' || !prev || !now?.allAnswered || prev.ports.length === 0 || Date.now() - prev.at > STALE_MAX_AGE_MS) continue;
    if (flow.client.external && (flow.kind === 'load-balancer' || flow.kind === 'external-ip')) continue;
    const ports = prev.ports.slice(0, STALE_PORTS);
    const seen = await agents.probe(flow.client.agent, { src: flow.client.src, dst: flow.dst, port: flow.port, protocol: 'TCP', count: ports.length, ports, timeoutMs: CONNECT_TIMEOUT_MS, concurrency: MAX_CONCURRENCY });
    out.flows++;
    out.connections += ports.length;
    const got = outcomes(seen);
    if ((got.get('timeout') ?? 0) !== ports.length) {
      out.problems.push(`${flow.client.label} -> ${flow.dst}:${flow.port}/TCP (${flow.kind} of ${flow.service}), reusing ${ports.length} source ports that timed out before: expected every connection to follow the old conntrack entry and time out (known difference stale-tcp-conntrack); seen: ${[...got].map(([k, c]) => `${k} ${c}`).join(', ')}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- DNS

async function checkDns(engine: Cluster, ctx: TraceContext, ns: string, env: DataplaneEnv): Promise<{ names: number; problems: string[] }> {
  const domain = ctx.dns.domain;
  const queries = namesFor(engine, ns, domain);
  const search = searchNamesFor(engine, ns);
  let problems: string[] = [];
  // CoreDNS's informers trail the API server by a moment: a difference is asked again, up to 3 times, 2 s apart.
  let pending = queries;
  for (let attempt = 0; attempt < 4 && pending.length > 0; attempt++) {
    if (attempt > 0) await sleep(2000);
    const real = digAll(env.dnsServer, pending);
    problems = [];
    const next: typeof pending = [];
    for (const q of pending) {
      const d = answerDifference(`${q.name} ${q.type}`, engineAnswer(ctx.dns.query(q.name, q.type)), real.get(`${q.name} ${q.type}`));
      if (d) { problems.push(d); next.push(q); }
    }
    pending = next;
  }
  const resolved = getentAll(env.dnsServer, ns, search.map((s) => s.name), domain, 5);
  for (const s of search) {
    const want = engineResolved(ctx.dns, ns, s.name);
    const got = resolved.get(s.name) ?? { ips: [] };
    if (want.ips.join(',') !== got.ips.join(',') || (want.ips.length > 0 && want.canonical !== got.canonical)) {
      problems.push(`search "${s.name}" from a pod in ${ns}: engine [${want.ips.join(', ')}] as ${want.canonical ?? '-'}, glibc+CoreDNS [${got.ips.join(', ')}] as ${got.canonical ?? '-'}`);
    }
  }
  return { names: queries.length + search.length, problems };
}

// ---------------------------------------------------------------- scenario

/** Where the API server's refusals differ from the ones the scenario lists (`Kind/name`). */
function unexpectedRefusals(expected: readonly string[], refused: readonly ObjectResult[]): string[] {
  const got = new Set(refused.map((r) => `${r.ref.kind}/${r.ref.name}`));
  return [
    ...expected.filter((e) => !got.has(e)).map((e) => `${e}: admitted by the API server, the scenario expects a refusal`),
    ...refused.filter((r) => !expected.includes(`${r.ref.kind}/${r.ref.name}`)).map((r) => `${r.ref.kind}/${r.ref.name}: refused by the API server: ${r.error?.message ?? r.outcome}`),
  ];
}

/**
 * Run one scenario in its own namespace. The namespace's deletion is started at the end and
 * pushed to `deleting` rather than waited for (the namespace controller takes seconds per
 * namespace; the next scenario has a namespace of its own), so the caller awaits them.
 */
async function runScenario(live: LiveCluster, sc: Scenario, agents: Agents, args: Args, log: (s: string) => void, deleting: Promise<void>[]): Promise<CheckpointReport[]> {
  const mode = agents.env.mode;
  const ns = `nkp-${sc.id}`;
  const timeoutMs = sc.settleTimeoutMs ?? 120_000;
  const reports: CheckpointReport[] = [];
  await live.freshNamespace(ns);
  try {
    let objects = [...sc.objects(ns), ...clientPods(ns, agents.env)];
    const first = objects.filter((o) => !ENDPOINT_KINDS.has(String(o.kind)));
    // Objects the scenario expects the API server to refuse (`Scenario.rejected`, e.g. a Service
    // pinning a taken cluster IP) are recorded, not fatal; the refusals must be exactly those. The
    // replay reads Services from the live cluster, so a refused one is simulated by neither side.
    const refused: ObjectResult[] = [];
    const mayRefuse = (sc.rejected ?? []).length > 0 ? refused : undefined;
    let startedAt = Date.now();
    await live.apply(first, undefined, mayRefuse);
    let s = await settle(live, { namespace: ns, objects: first, replicas: replicasOf(objects), timeoutMs, startedAt });
    if (s.pending.length > 0) throw new Error(`workloads did not start: ${s.pending.join('; ')}`);
    startedAt = Date.now();
    await live.apply(objects.filter((o) => ENDPOINT_KINDS.has(String(o.kind))), undefined, mayRefuse);
    const refusalProblems = unexpectedRefusals(sc.rejected ?? [], refused);
    await writeLoadBalancerStatus(live, ns, objects);
    s = await settle(live, { namespace: ns, objects, replicas: replicasOf(objects), timeoutMs, startedAt });
    let timedOut: TimedOut = new Map();
    const checkpoint = async (label: string, afterStep: boolean): Promise<void> => {
      const r: CheckpointReport = { mode, scenario: sc.id, label, flows: 0, connections: 0, names: 0, problems: [...(afterStep ? [] : refusalProblems), ...s.pending.map((p) => `not settled: ${p}`)] };
      const engine = replay(objects, s.snap, live);
      r.problems.push(...engine.diagnostics.filter((d) => d.severity === 'error').map((d) => `engine: ${d.code}: ${d.message}`));
      r.problems.push(...sharedAddresses(engine));
      const ctx = new TraceContext(engine);
      const t0 = Date.now();
      await servePods(agents, engine);
      r.problems.push(...await waitProxiesSynced(agents, startedAt + s.ms));
      const t1 = Date.now();
      const flows = flowsFor(engine, ns, agents.env);
      const planned = planFlows(flows, engine, ctx, mode);
      const runs = new Map<string, FlowRun>();
      const nextTimedOut: TimedOut = new Map();
      // Flows the trace says fail are a few connections that mostly wait for their timeout: they
      // run side by side, FAILING_FLOWS_AT_ONCE at a time; the others one after another.
      const failing = planned.filter(runsAlongside);
      for (let i = 0; i < failing.length; i += FAILING_FLOWS_AT_ONCE) {
        const batch = failing.slice(i, i + FAILING_FLOWS_AT_ONCE);
        const done = await Promise.all(batch.map((plan) => runFlow(plan, engine, ctx, agents)));
        batch.forEach((plan, j) => runs.set(flowKey(plan.flow), done[j]));
      }
      for (const plan of planned) if (!runsAlongside(plan)) runs.set(flowKey(plan.flow), await runFlow(plan, engine, ctx, agents));
      for (const plan of planned) {
        const f = runs.get(flowKey(plan.flow));
        if (!f) continue;
        if (plan.flow.protocol === 'TCP' && f.timeoutPorts.length > 0) nextTimedOut.set(flowKey(plan.flow), { ports: f.timeoutPorts, at: f.at });
        r.flows++;
        r.connections += f.connections;
        r.problems.push(...f.problems);
      }
      r.problems.push(...judgePools(planned, runs));
      if (afterStep && STALE_TUPLE_PINS.has(sc.id)) {
        const st = await checkStaleTuples(flows, runs, timedOut, agents);
        r.connections += st.connections;
        r.problems.push(...st.problems);
        if (st.flows === 0) r.problems.push('stale-tuple pin: no flow had timed-out connections before and is traced as answered now, so the pin was not exercised');
        else log(`[${mode}] [${sc.id}] ${label}: stale-tuple pin: ${st.flows} flow(s), ${st.connections} reused source ports`);
      }
      timedOut = nextTimedOut;
      const t2 = Date.now();
      if (args.dns) {
        const d = await checkDns(engine, ctx, ns, agents.env);
        r.names += d.names;
        r.problems.push(...d.problems);
      }
      const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
      log(`[${mode}] [${sc.id}] ${label}: ${r.flows} flows, ${r.connections} connections, ${r.names} names: ${r.problems.length === 0 ? 'agree' : `${r.problems.length} difference(s)`}`
        + ` (settle ${secs(s.ms)}, serve+sync ${secs(t1 - t0)}, flows ${secs(t2 - t1)}, dns ${secs(Date.now() - t2)})`);
      for (const p of r.problems) log(`  - ${p}`);
      reports.push(r);
    };
    await checkpoint('initial', false);
    for (const step of sc.steps ?? []) {
      startedAt = Date.now();
      objects = await liveStep(live, ns, step, objects, s.snap);
      s = await settle(live, { namespace: ns, objects, replicas: replicasOf(objects), timeoutMs, startedAt });
      await checkpoint(step.label, true);
    }
  } finally {
    deleting.push(live.deleteNamespace(ns).catch((e: unknown) => log(`namespace ${ns} not deleted: ${e instanceof Error ? e.message : String(e)}`)));
  }
  return reports;
}

// ---------------------------------------------------------------- main

/** Scenarios with more pods than this start on a cluster without namespaces being deleted. */
const BIG_SCENARIO_PODS = 100;

/** Pods a scenario asks for (workload replicas and bare pods) in its first state. */
function podsOf(sc: Scenario): number {
  let n = 0;
  for (const o of sc.objects('x')) {
    if (o.kind === 'Pod') n++;
    else if (o.kind === 'Deployment' || o.kind === 'StatefulSet') n += Number((o.spec as { replicas?: number }).replicas ?? 1);
  }
  return n;
}

function dataplane(...argv: string[]): number {
  const r = spawnSync(DATAPLANE, argv, { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  return r.status ?? 1;
}

function table(reports: readonly CheckpointReport[]): string {
  const rows = [['mode', 'scenario', 'checkpoint', 'flows', 'connections', 'names', 'result']];
  for (const r of reports) rows.push([r.mode, r.scenario, r.label, String(r.flows), String(r.connections), String(r.names), r.problems.length === 0 ? 'agree' : `${r.problems.length} diff`]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd()).join('\n');
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';

/**
 * Make every kube-proxy learn its node's zone. kube-proxy v1.36 can miss it at start-up:
 * cmd/kube-proxy/app/server.go adds NodeTopologyConfig's handler to the already running node
 * informer before it registers the proxier with it, and handleNodeEvent (pkg/proxy/config) stores
 * the labels and calls no one if the replayed Add lands in between; later events with the same
 * labels are skipped, so that kube-proxy ignores topology hints until the zone label changes (seen
 * once: node-3 spread PreferClose traffic over every zone for a whole run). Changing each node's
 * zone label and restoring it sends two changes every kube-proxy acts on, the last one right.
 */
async function refreshProxyTopology(live: LiveCluster): Promise<void> {
  for (const node of await live.client.list('v1', 'Node')) {
    const zone = node.metadata.labels?.[ZONE_LABEL];
    if (zone === undefined) continue;
    const setZone = (value: string): Promise<unknown> =>
      live.raw('PATCH', `/api/v1/nodes/${node.metadata.name}`, { metadata: { labels: { [ZONE_LABEL]: value } } }, 'application/merge-patch+json');
    await setZone(`${zone}-netkit-refresh`);
    await setZone(zone);
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') { process.stderr.write(`error: ${args}\n`); return 1; }
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  const c = await connectLive(kubeconfigPath());
  if (!c.ok) { process.stderr.write(`error: no cluster: ${c.problem}\n`); return 1; }
  const live = c.live;
  // Whatever happens, the namespaces and processes of the data plane go away.
  let up = false;
  const stop = (): void => { if (up) { dataplane('down'); up = false; } };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => { stop(); process.exit(130); });
  process.on('exit', stop);
  const scenarios = DATAPLANE_SCENARIOS.filter((s) => !args.only || args.only.has(s.id));
  const reports: CheckpointReport[] = [];
  const t0 = Date.now();
  for (const mode of args.modes) {
    const tm = Date.now();
    up = true;
    if (dataplane('up', '--mode', mode) !== 0) { stop(); throw new Error(`test/cluster/dataplane up --mode ${mode} failed (see above)`); }
    try {
      const agents = new Agents(readEnv(STATE_DIR));
      await refreshProxyTopology(live);
      log(`data plane (${mode}) against Kubernetes ${live.serverVersion}: ${scenarios.length} scenarios`);
      const deleting: Promise<void>[] = [];
      try {
        for (const sc of scenarios) {
          // A scenario that fills the nodes waits until earlier namespaces are gone: their pods
          // still hold addresses, and KWOK v0.8.0 then hands out addresses past a node's podCIDR
          // (ipPool.new in pkg/kwok/controllers/utils.go has no bound), which another node's pool
          // hands out too (seen: pod-capacity right after slices-250, two pods on one address).
          if (podsOf(sc) > BIG_SCENARIO_PODS) await Promise.all(deleting.splice(0));
          reports.push(...await runScenario(live, sc, agents, args, log, deleting));
        }
      } finally {
        await Promise.all(deleting);
      }
    } finally {
      stop();
    }
    log(`[${mode}] done in ${((Date.now() - tm) / 1000).toFixed(0)}s`);
  }
  process.stdout.write(`${table(reports)}\n`);
  const failed = reports.filter((r) => r.problems.length > 0);
  for (const r of failed) {
    process.stdout.write(`\n[${r.mode}] ${r.scenario} / ${r.label}:\n${r.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  for (const [id, why] of Object.entries(LEFT_OUT)) process.stdout.write(`\nleft out: ${id}: ${why}\n`);
  for (const mode of args.modes) {
    const rs = reports.filter((r) => r.mode === mode);
    const sum = (f: (r: CheckpointReport) => number): number => rs.reduce((a, r) => a + f(r), 0);
    process.stdout.write(`${mode}: ${new Set(rs.map((r) => r.scenario)).size} scenarios, ${rs.length} checkpoints, ${sum((r) => r.flows)} flows, ${sum((r) => r.connections)} connections, ${sum((r) => r.names)} DNS names; ${rs.filter((r) => r.problems.length > 0).length} checkpoint(s) with differences\n`);
  }
  process.stdout.write(`total ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
  return failed.length === 0 ? 0 : 2;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  const msg = e instanceof KubeApiError ? e.describe() : e instanceof Error ? e.message : String(e);
  process.stderr.write(`error: the data-plane run failed: ${msg}\n`);
  process.exitCode = 1;
});
