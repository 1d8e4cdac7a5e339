/**
 * Engine benchmark. Run: `npx ts-node --transpile-only bench/engine.ts [--nodes N --pods N --services N]`.
 *
 * Table 1: a synthetic cluster (default 5,000 nodes, 150,000 pods, 10,000 Services): build time
 * per phase, heap, and the cost of one pod readiness change (median / p99).
 * Table 2: the Kubernetes blog "Scaling Kubernetes Networking With EndpointSlices" case: one
 * Service of 5,000 pods watched by 3,000 nodes; bytes sent per pod change with one Endpoints
 * object versus EndpointSlices of 100, using the engine's own serialized objects.
 * `--json`: after the tables, one line of JSON with table 1's figures (read by bench/compare.ts).
 */
import { performance } from 'perf_hooks';
import { Cluster } from '../lib/engine/cluster';
import { syntheticProfile } from '../lib/engine/profile';
import { endpointSliceToJSON, endpointsToJSON } from '../lib/engine/serialize';
import { fromObjects } from '../lib/manifest/objects';
import { ProxyModel } from '../lib/engine/proxy';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

function deployment(ns: string, name: string, replicas: number, labels: Record<string, string>): unknown {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    },
  };
}

function service(ns: string, name: string, selector: Record<string, string>): unknown {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: { app: name } }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
}

/** Table 1's figures for `--json` (bench/compare.ts reads them). */
const figures: Record<string, number> = {};

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function table1(): void {
  const nodes = arg('nodes', 5000);
  const podCount = arg('pods', 150000);
  const services = arg('services', 10000);
  const perService = Math.floor(podCount / services);
  const t0 = performance.now();
  const raw: unknown[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `ns-${i % 100}`;
    const labels = { app: `app-${i}` };
    raw.push(deployment(ns, `app-${i}`, perService, labels), service(ns, `app-${i}`, labels));
  }
  const t1 = performance.now();
  const loaded = fromObjects(raw, 'synthetic');
  const t2 = performance.now();
  const profile = syntheticProfile({ nodes, zones: 3 });
  if (global.gc) global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t3 = performance.now();
  const cluster = Cluster.build(loaded.objects, profile);
  const t4 = performance.now();
  // kube-proxy: the shared tables, then one lookup per Service port from one node, which makes
  // every Service's endpoint list (they are built lazily, on first use).
  const proxy = ProxyModel.build(cluster);
  const t5 = performance.now();
  const node = profile.nodes[0];
  for (const svc of cluster.services.values()) {
    for (const port of svc.ports) {
      if (svc.clusterIPs.length === 0) continue;
      proxy.lookup({ node: node.name, source: { kind: 'node', name: node.name, ip: node.internalIP }, dstIP: svc.clusterIPs[0], dstPort: port.port, protocol: port.protocol });
    }
  }
  const t6 = performance.now();
  if (global.gc) global.gc();
  const heapAfter = process.memoryUsage().heapUsed;
  // The v1 Endpoints are computed on their first read (EndpointsMap in lib/engine/store.ts):
  // nothing above reads them, so time that read apart (the first change or read pays it).
  const t7 = performance.now();
  const endpointsV1 = cluster.endpoints.size;
  const t8 = performance.now();

  let slices = 0;
  for (const list of cluster.endpointSlices.values()) slices += list.length;

  // Readiness changes: flip random-but-deterministic pods.
  const keys = [...cluster.pods.keys()];
  const samples: number[] = [];
  let events = 0;
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const pod = keys[x % keys.length];
    const ready = !(cluster.pods.get(pod)?.serving ?? true);
    const s = performance.now();
    events += cluster.apply({ type: 'setPodReady', pod, ready }).length;
    samples.push(performance.now() - s);
  }
  samples.sort((a, b) => a - b);

  console.log(`# Table 1: synthetic cluster (${nodes} nodes, ${cluster.pods.size} pods, ${cluster.services.size} Services)`);
  console.log('| phase | time |');
  console.log('|---|---|');
  console.log(`| generate ${raw.length} manifest objects | ${(t1 - t0).toFixed(0)} ms |`);
  console.log(`| validate (zod, fromObjects) | ${(t2 - t1).toFixed(0)} ms |`);
  console.log(`| Cluster.build: pods, IPs, Services, Endpoints, EndpointSlices | ${(t4 - t3).toFixed(0)} ms |`);
  for (const [phase, ms] of cluster.timings) console.log(`| &nbsp;&nbsp;${phase} | ${ms.toFixed(0)} ms |`);
  console.log(`| kube-proxy: shared service tables (ProxyModel.build) | ${(t5 - t4).toFixed(0)} ms |`);
  console.log(`| kube-proxy: every Service's endpoint list (one lookup per port) | ${(t6 - t5).toFixed(0)} ms |`);
  console.log(`| **full build: Cluster.build + proxy tables** | **${(t6 - t3).toFixed(0)} ms** |`);
  console.log(`| heap used by the built cluster and proxy tables | ${mb(heapAfter - heapBefore)} (total heap ${mb(heapAfter)}) |`);
  console.log(`| v1 Endpoints (${endpointsV1}), computed on first read: not in the build above | ${(t8 - t7).toFixed(0)} ms |`);
  console.log(`| EndpointSlices | ${slices} |`);
  console.log(`| readiness change (2000 samples): median | ${(percentile(samples, 0.5) * 1000).toFixed(1)} µs |`);
  console.log(`| readiness change: p99 | ${(percentile(samples, 0.99) * 1000).toFixed(1)} µs |`);
  console.log(`| watch events per change | ${(events / samples.length).toFixed(2)} |`);
  console.log(`| diagnostics | ${cluster.diagnostics.length} |`);
  Object.assign(figures, {
    nodes, pods: cluster.pods.size, services: cluster.services.size, clusterBuildMs: t4 - t3, fullBuildMs: t6 - t3,
    heapMiB: (heapAfter - heapBefore) / 1048576, exactHeap: global.gc ? 1 : 0, endpointsV1FirstReadMs: t8 - t7,
    readinessMedianUs: percentile(samples, 0.5) * 1000, readinessP99Us: percentile(samples, 0.99) * 1000,
  });
}

function table2(): void {
  const pods = 5000;
  const watchers = 3000;
  const labels = { app: 'big' };
  const loaded = fromObjects([deployment('default', 'big', pods, labels), service('default', 'big', labels)], 'blog');
  const cluster = Cluster.build(loaded.objects, syntheticProfile({ nodes: watchers, zones: 3 }));
  const ep = cluster.endpoints.get('default/big');
  if (!ep) throw new Error('no Endpoints');
  // Endpoints is capped at 1000 addresses since 1.22 (over-capacity); the blog predates the cap,
  // so measure an uncapped Endpoints by serializing the full address list.
  const podsList = [...cluster.pods.values()];
  const fullEndpoints = {
    ...ep,
    subsets: [{ ...ep.subsets[0], addresses: podsList.map((p) => ({ ip: p.ip, nodeName: p.nodeName, targetRef: { kind: 'Pod', namespace: p.namespace, name: p.name } })) }],
  };
  const endpointsBytes = Buffer.byteLength(JSON.stringify(endpointsToJSON(fullEndpoints)));
  const cappedBytes = Buffer.byteLength(JSON.stringify(endpointsToJSON(ep)));
  const slices = cluster.endpointSlices.get('default/big') ?? [];
  const pod = [...cluster.pods.keys()][0];
  const events = cluster.apply({ type: 'setPodReady', pod, ready: false });
  const changed = events.filter((e) => e.kind === 'EndpointSlice');
  const sliceBytes = changed.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(endpointSliceToJSON(e.object as never))), 0);
  const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
  console.log('');
  console.log(`# Table 2: one Service of ${pods} pods watched by ${watchers} nodes (Kubernetes blog, 2020)`);
  console.log('| | Endpoints (one object) | EndpointSlices (100 per slice) |');
  console.log('|---|---|---|');
  console.log(`| objects | 1 | ${slices.length} |`);
  console.log(`| bytes of the object(s) a pod change rewrites | ${(endpointsBytes / 1e6).toFixed(2)} MB | ${(sliceBytes / 1e3).toFixed(1)} kB (${changed.length} slice) |`);
  console.log(`| bytes sent for one pod change (x ${watchers} watchers) | ${gb(endpointsBytes * watchers)} | ${(sliceBytes * watchers / 1e6).toFixed(1)} MB |`);
  console.log(`| rolling update: ${pods} pod changes | ${(endpointsBytes * watchers * pods / 1e12).toFixed(1)} TB | ${gb(sliceBytes * watchers * pods)} |`);
  console.log(`(JSON bytes; the capped Endpoints the controller writes today is ${(cappedBytes / 1e3).toFixed(0)} kB for 1000 addresses.)`);
}

table1();
table2();
if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
