/**
 * Allocation and GC meter for the engine (issue 21): the same synthetic cluster as
 * `bench/engine.ts` Table 1, reporting what a loaded machine does not blur: bytes allocated and
 * GC work for the full build and for 2,000 pod readiness changes, and the functions that
 * allocate most (V8's sampling heap profiler, counting objects the GC already collected).
 *
 *   npx ts-node --transpile-only bench/engine-alloc.ts [--nodes N --pods N --services N] [--top N]
 *
 * Wall times on a shared 2-core machine vary by 2-3x with the load; allocated bytes and GC
 * counts vary by a few percent, so compare those across branches.
 */
import { Session } from 'inspector';
import { PerformanceObserver, performance } from 'perf_hooks';
import { Cluster } from '../lib/engine/cluster';
import { syntheticProfile } from '../lib/engine/profile';
import { fromObjects } from '../lib/manifest/objects';
import { ProxyModel } from '../lib/engine/proxy';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

interface SamplingNode { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SamplingNode[] }

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** GC pauses seen between `start` and `end` (performance timeline milliseconds). */
class GcLog {
  private readonly entries: { start: number; duration: number; minor: boolean }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      this.entries.push({ start: e.startTime, duration: e.duration, minor: kind === 1 });
    }
  });

  constructor() { this.observer.observe({ entryTypes: ['gc'] }); }

  public between(start: number, end: number): string {
    const inside = this.entries.filter((e) => e.start >= start && e.start <= end);
    const ms = inside.reduce((n, e) => n + e.duration, 0);
    const minor = inside.filter((e) => e.minor).length;
    return `${inside.length} GCs (${minor} scavenges), ${ms.toFixed(0)} ms paused`;
  }
}

async function main(): Promise<void> {
  const nodes = arg('nodes', 5000);
  const podCount = arg('pods', 150000);
  const services = arg('services', 10000);
  const top = arg('top', 12);
  const perService = Math.floor(podCount / services);
  const raw: unknown[] = [];
  for (let i = 0; i < services; i++) {
    const ns = `ns-${i % 100}`;
    const labels = { app: `app-${i}` };
    raw.push(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `app-${i}`, namespace: ns }, spec: { replicas: perService, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: `app-${i}`, namespace: ns, labels: { app: `app-${i}` } }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    );
  }
  const loaded = fromObjects(raw, 'synthetic');
  const profile = syntheticProfile({ nodes, zones: 3 });
  const gc = new GcLog();
  const session = new Session();
  session.connect();
  // Every sampled allocation counts, also those already collected: garbage is what costs here.
  const sample = { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };

  const report = async (label: string, t0: number, t1: number, cpu: NodeJS.CpuUsage): Promise<void> => {
    const { profile: p } = await post<{ profile: { head: SamplingNode } }>(session, 'HeapProfiler.stopSampling');
    const self = new Map<string, number>();
    let total = 0;
    const walk = (n: SamplingNode): void => {
      const f = n.callFrame;
      const where = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
      self.set(where, (self.get(where) ?? 0) + n.selfSize);
      total += n.selfSize;
      n.children.forEach(walk);
    };
    walk(p.head);
    await new Promise((r) => setTimeout(r, 100)); // the GC observer delivers on a later turn
    console.log(`\n## ${label}`);
    console.log(`wall ${(t1 - t0).toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (all threads), ${gc.between(t0, t1)}`);
    console.log(`allocated (sampled): ${(total / 1048576).toFixed(0)} MiB`);
    console.log('| MiB | allocated by |');
    console.log('|---|---|');
    for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${(v / 1048576).toFixed(1)} | ${k} |`);
  };

  await post(session, 'HeapProfiler.startSampling', sample);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cluster = Cluster.build(loaded.objects, profile);
  const proxy = ProxyModel.build(cluster);
  const node = profile.nodes[0];
  for (const svc of cluster.services.values()) {
    for (const port of svc.ports) {
      if (svc.clusterIPs.length === 0) continue;
      proxy.lookup({ node: node.name, source: { kind: 'node', name: node.name, ip: node.internalIP }, dstIP: svc.clusterIPs[0], dstPort: port.port, protocol: port.protocol });
    }
  }
  const t1 = performance.now();
  await report(`full build: ${nodes} nodes, ${cluster.pods.size} pods, ${cluster.services.size} Services, proxy tables`, t0, t1, process.cpuUsage(c0));

  const keys = [...cluster.pods.keys()];
  let x = 12345;
  await post(session, 'HeapProfiler.startSampling', sample);
  const c2 = process.cpuUsage();
  const t2 = performance.now();
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const pod = keys[x % keys.length];
    cluster.apply({ type: 'setPodReady', pod, ready: !(cluster.pods.get(pod)?.serving ?? true) });
  }
  const t3 = performance.now();
  await report('2,000 readiness changes (as bench/engine.ts)', t2, t3, process.cpuUsage(c2));
  session.disconnect();
}

void main();
