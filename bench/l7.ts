/**
 * L7 routing benchmark: 2,000 HTTPRoutes with 20,000 rules (paths, headers, query params,
 * methods, weighted backends) over 4 Gateways and 50 Services. Prints the time to build the
 * L7 model and the per-request latency (median / p99) of `L7Model.request`, with and without
 * the L4 hop through `connect()`.
 *
 *   npx ts-node --transpile-only bench/l7.ts [routes] [rulesPerRoute] [requests]
 *
 * Goal (issue 6): build under 1 s, a request under 50 µs.
 */
import { performance } from 'perf_hooks';
import { Cluster } from '../lib/engine/cluster';
import { L7Model, type HttpRequest } from '../lib/engine/l7';
import { fromObjects } from '../lib/manifest';

const ROUTES = Number(process.argv[2] ?? 2000);
const RULES = Number(process.argv[3] ?? 10);
const REQUESTS = Number(process.argv[4] ?? 50000);
const GATEWAYS = 4;
const SERVICES = 50;

type Json = Record<string, unknown>;

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function objects(): Json[] {
  const out: Json[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: 'example.com/bench' } },
  ];
  for (let g = 0; g < GATEWAYS; g++) {
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: `gw-${g}`, namespace: 'infra' },
      spec: { gatewayClassName: 'bench', listeners: [
        { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        { name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } } },
      ] },
    });
  }
  for (let s = 0; s < SERVICES; s++) {
    const labels = { app: `svc-${s}` };
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `svc-${s}`, namespace: 'apps' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: 'apps' }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  }
  for (let r = 0; r < ROUTES; r++) {
    const hostnames = [`app-${r}.example.com`];
    if (r % 10 === 0) hostnames.push(`*.team-${r / 10}.example.com`);
    const rules: Json[] = [];
    for (let j = 0; j < RULES; j++) {
      const svc = (r * RULES + j) % SERVICES;
      const kind = j % 5;
      const match: Json =
        kind === 0 ? { path: { type: 'PathPrefix', value: `/api/v${j}` } }
          : kind === 1 ? { path: { type: 'Exact', value: `/items/${j}` } }
            : kind === 2 ? { path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-tenant', value: `t${j}` }] }
              : kind === 3 ? { path: { type: 'PathPrefix', value: `/search/${j}` }, queryParams: [{ name: 'q', value: `${j}` }], method: 'GET' }
                : { path: { type: 'PathPrefix', value: `/static/${j}` } };
      const backendRefs = j % 3 === 0
        ? [{ name: `svc-${svc}`, port: 80, weight: 90 }, { name: `svc-${(svc + 1) % SERVICES}`, port: 80, weight: 10 }]
        : [{ name: `svc-${svc}`, port: 80 }];
      rules.push({ matches: [match], backendRefs });
    }
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: `route-${r}`, namespace: 'apps' },
      spec: { parentRefs: [{ name: `gw-${r % GATEWAYS}`, namespace: 'infra' }], hostnames, rules },
    });
  }
  return out;
}

function requests(n: number): HttpRequest[] {
  const rand = rng(42);
  const out: HttpRequest[] = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(rand() * ROUTES);
    const j = Math.floor(rand() * RULES);
    const host = r % 10 === 0 && rand() < 0.3 ? `x${i % 7}.team-${r / 10}.example.com` : `app-${r}.example.com`;
    // Mostly requests some rule matches (the rule kind follows j % 5, as generated); 10% match nothing.
    const miss = rand() < 0.1;
    const kind = j % 5;
    const path = miss ? '/nothing/here' : kind === 0 ? `/api/v${j}/users/${i}` : kind === 1 ? `/items/${j}` : kind === 2 ? '/' : kind === 3 ? `/search/${j}` : `/static/${j}/app.js`;
    const headers = kind === 2 && !miss ? { 'x-tenant': `t${j}` } : undefined;
    out.push({ url: `http://${host}${path}${kind === 3 && !miss ? `?q=${j}` : ''}`, headers });
  }
  return out;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function timeRequests(model: L7Model, reqs: readonly HttpRequest[]): { median: number; p99: number; routed: number } {
  for (let i = 0; i < Math.min(2000, reqs.length); i++) model.request(reqs[i]); // warm-up
  const times = new Float64Array(reqs.length);
  let routed = 0;
  for (let i = 0; i < reqs.length; i++) {
    const t0 = performance.now();
    const t = model.request(reqs[i]);
    times[i] = (performance.now() - t0) * 1000;
    if (t.ok) routed++;
  }
  times.sort();
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99), routed };
}

function main(): void {
  const objs = objects();
  const ruleCount = ROUTES * RULES;
  console.log(`L7 benchmark: ${ROUTES} HTTPRoutes, ${ruleCount} rules, ${GATEWAYS} Gateways x 2 listeners, ${SERVICES} Services`);
  let t = performance.now();
  const loaded = fromObjects(objs, 'bench');
  if (loaded.errors.length > 0) throw new Error(loaded.errors.slice(0, 3).map(String).join('\n'));
  const cluster = Cluster.build(loaded.objects);
  console.log(`  load + Cluster.build (not L7):        ${(performance.now() - t).toFixed(0)} ms`);

  // Wall time, and CPU time of this process (the machine is shared: CPU time is the steadier figure).
  const builds: { wall: number; cpu: number }[] = [];
  let model: L7Model | undefined;
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    model = L7Model.build(cluster, { l4: false });
    const cpu = process.cpuUsage(c);
    builds.push({ wall: performance.now() - t, cpu: (cpu.user + cpu.system) / 1000 });
  }
  const m = model as L7Model;
  console.log(`  L7Model.build (3 runs, first cold):   ${builds.map((b) => `${b.wall.toFixed(0)} ms (cpu ${b.cpu.toFixed(0)})`).join(', ')}`);
  console.log(`    phases of the last run:             ${[...m.timings].map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  const accepted = m.routeStatus().filter((s) => s.parents.every((p) => p.accepted)).length;
  console.log(`  routes accepted: ${accepted}/${ROUTES}; rows: ${m.routes().length}; problems: ${m.problems().length}`);

  const reqs = requests(REQUESTS);
  const l7 = timeRequests(m, reqs);
  console.log(`  request(), L7 decision only (${REQUESTS} requests, explained): median ${l7.median.toFixed(1)} µs, p99 ${l7.p99.toFixed(1)} µs; routed ${l7.routed}`);
  const withL4 = L7Model.build(cluster);
  const full = timeRequests(withL4, reqs.slice(0, Math.min(REQUESTS, 20000)));
  console.log(`  request(), with the L4 hop (connect per backend, ${Math.min(REQUESTS, 20000)} requests): median ${full.median.toFixed(1)} µs, p99 ${full.p99.toFixed(1)} µs`);
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(`  heap used at the end: ${heap.toFixed(0)} MiB`);
  const ok = Math.max(...builds.map((b) => b.cpu)) < 1000 && l7.median < 50;
  console.log(`  goal (build < 1 s CPU, median request < 50 µs): ${ok ? 'met' : 'NOT met'}`);
}

main();
