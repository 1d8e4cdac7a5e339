/**
 * kube-proxy model benchmark: 5,000 nodes, 150,000 pods, 10,000 Services (15 endpoints each),
 * built directly as a ClusterStateView. Prints table build time, heap growth and per-lookup latency.
 *
 *   npx ts-node --transpile-only bench/proxy.ts [nodes] [services] [podsPerService]
 */
import type {
  ClusterStateView,
  EndpointInfo,
  EndpointSliceInfo,
  NodeInfo,
  PodInfo,
  ServiceInfo,
} from '../lib/engine/model';
import { ProxyModel, type ProxyPacket } from '../lib/engine/proxy';
import { connect, TraceContext } from '../lib/engine/trace';

const NODES = Number(process.argv[2] ?? 5000);
const SERVICES = Number(process.argv[3] ?? 10000);
const PODS_PER_SERVICE = Number(process.argv[4] ?? 15);
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

function ip(base: number, n: number): string {
  return `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function synthesize(): ClusterStateView {
  const nodes = new Map<string, NodeInfo>();
  for (let i = 0; i < NODES; i++) {
    const name = `node-${i}`;
    nodes.set(name, { name, zone: ZONES[i % ZONES.length], podCIDR: `10.${2 + (i >> 8)}.${i & 255}.0/24`, internalIP: ip(172, i + 1), ready: true });
  }
  const nodeList = [...nodes.values()];
  const pods = new Map<string, PodInfo>();
  const services = new Map<string, ServiceInfo>();
  const endpointSlices = new Map<string, EndpointSliceInfo[]>();
  const namespaces = new Set<string>();
  let podN = 0;
  let nodePorts = 0;
  for (let s = 0; s < SERVICES; s++) {
    const namespace = `ns-${s % 100}`;
    namespaces.add(namespace);
    const name = `svc-${s}`;
    const variant = s % 10;
    const type = variant === 0 ? 'LoadBalancer' : variant === 1 ? 'NodePort' : 'ClusterIP';
    services.set(`${namespace}/${name}`, {
      namespace,
      name,
      type,
      selector: { app: name },
      headless: false,
      clusterIPs: [`10.${96 + ((s + 1) >> 16)}.${((s + 1) >> 8) & 255}.${(s + 1) & 255}`],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', nodePort: type === 'ClusterIP' ? undefined : 30000 + nodePorts++ }],
      externalIPs: [],
      loadBalancerIPs: type === 'LoadBalancer' ? [ip(198, s + 1)] : [],
      loadBalancerSourceRanges: [],
      sessionAffinity: 'None',
      externalTrafficPolicy: variant === 0 ? 'Local' : 'Cluster',
      internalTrafficPolicy: variant === 2 ? 'Local' : 'Cluster',
      publishNotReadyAddresses: false,
    });
    const endpoints: EndpointInfo[] = [];
    for (let p = 0; p < PODS_PER_SERVICE; p++) {
      const node = nodeList[(podN * 7919) % nodeList.length];
      const podName = `${name}-${p}`;
      const podIP = ip(11, ++podN);
      const ready = p !== 0 || s % 50 !== 0;
      pods.set(`${namespace}/${podName}`, {
        namespace, name: podName, labels: { app: name }, nodeName: node.name, zone: node.zone, ip: podIP,
        ready, serving: ready, terminating: false, containerPorts: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      });
      endpoints.push({
        addresses: [podIP],
        conditions: { ready, serving: ready, terminating: false },
        nodeName: node.name,
        zone: node.zone,
        targetRef: { kind: 'Pod', namespace, name: podName },
        forZones: variant === 3 ? [node.zone] : undefined,
      });
    }
    endpointSlices.set(`${namespace}/${name}`, [{
      namespace, name: `${name}-abcde`, serviceName: name, addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], endpoints, labels: { 'kubernetes.io/service-name': name },
    }]);
  }
  return {
    profile: { nodes: nodeList, serviceCIDR: '10.96.0.0/12', nodePortRange: { min: 30000, max: 32767 }, clusterDomain: 'cluster.local', maxEndpointsPerSlice: 100 },
    nodes, pods, services, endpointSlices, namespaces,
  };
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function main(): void {
  const t0 = process.hrtime.bigint();
  const state = synthesize();
  const t1 = process.hrtime.bigint();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const model = ProxyModel.build(state);
  const t2 = process.hrtime.bigint();
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const services = [...state.services.values()];
  const nodes = [...state.nodes.values()];
  const packets: ProxyPacket[] = [];
  for (let i = 0; i < 100_000; i++) {
    const svc = services[(i * 7919) % services.length];
    const node = nodes[(i * 104729) % nodes.length];
    const nodePort = svc.ports[0].nodePort;
    packets.push(
      i % 3 === 0 && nodePort !== undefined
        ? { node: node.name, source: { kind: 'external', ip: '198.51.100.7' }, dstIP: node.internalIP, dstPort: nodePort, protocol: 'TCP' }
        : { node: node.name, source: { kind: 'pod', ip: '11.0.0.1' }, dstIP: svc.clusterIPs[0], dstPort: 80, protocol: 'TCP' },
    );
  }
  const measure = (label: string): void => {
    let forwarded = 0;
    const s = process.hrtime.bigint();
    for (const p of packets) if (model.lookup(p).action === 'forward') forwarded++;
    const ns = Number(process.hrtime.bigint() - s);
    console.log(`${label}: ${packets.length} lookups, ${(ns / packets.length / 1000).toFixed(2)} µs/lookup (${forwarded} forwarded)`);
  };
  measure('lookups, cold per-node/zone caches');
  measure('lookups, warm caches');
  global.gc?.();
  const heapLookups = process.memoryUsage().heapUsed;

  const ctx = new TraceContext(state);
  const t3 = process.hrtime.bigint();
  const n = 200;
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const svc = services[(i * 31) % services.length];
    const t = connect({ from: { pod: `${svc.namespace}/${svc.name}-1` }, to: `${svc.name}.${svc.namespace}` }, state, ctx);
    if (t.ok) ok++;
  }
  const t4 = process.hrtime.bigint();

  const ms = (a: bigint, b: bigint): string => `${(Number(b - a) / 1e6).toFixed(0)} ms`;
  let endpoints = 0;
  for (const list of state.endpointSlices.values()) for (const s of list) endpoints += s.endpoints.length;
  console.log(`cluster: ${state.nodes.size} nodes, ${state.pods.size} pods, ${state.services.size} services, ${endpoints} endpoints (synthesized in ${ms(t0, t1)})`);
  console.log(`proxy table build: ${ms(t1, t2)}; heap +${mb(heapAfter - heapBefore)} (after 200k lookups: +${mb(heapLookups - heapBefore)})${global.gc ? '' : ' (run node with --expose-gc for exact heap figures)'}`);
  console.log(`trace (DNS + proxy, pod -> service name): ${(Number(t4 - t3) / 1e6 / n).toFixed(3)} ms/trace over ${n} traces (${ok} ok), TraceContext build included once`);
}

main();
