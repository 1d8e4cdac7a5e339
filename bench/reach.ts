/**
 * Reachability at scale: 1,000 workloads x 1,000 NetworkPolicies, the full connectivity matrix
 * (every workload to every other on its declared port) and single trace verdicts.
 *
 *   npx ts-node --transpile-only bench/reach.ts [--workloads 1000] [--policies 1000] [--runs 5] [--write DIR] [--json]
 *
 * The set: 20 namespaces labelled `team=<n mod 5>`; each workload `w<i>` has labels
 * `app=w<i>`, `tier=<i mod 4>`, one container port 8080; policies cycle through the common
 * shapes (default deny, allow from a podSelector, from a namespaceSelector + podSelector, an
 * ipBlock with except, named ports, endPort ranges, egress with DNS). `--write DIR` writes the
 * same set as YAML (for the peers: scripts/peers/reach-compare.ts runs them on it).
 * Goals (issue 18): matrix under 2 s, one verdict under 50 µs. `--json`: one more line at the
 * end, the figures as JSON (read by bench/compare.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { dump } from 'js-yaml';
import { Cluster } from '../lib/engine/cluster';
import { PolicyModel } from '../lib/engine/policy';
import { reachMatrix } from '../lib/engine/policy/matrix';
import { syntheticProfile } from '../lib/engine/profile';
import { connect, TraceContext } from '../lib/engine/trace';
import { fromObjects } from '../lib/manifest';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

type Json = Record<string, unknown>;

/** The benchmark's objects: namespaces, Deployments, Services, NetworkPolicies. */
export function reachSet(workloads: number, policies: number): Json[] {
  const nsCount = 20;
  const out: Json[] = [];
  for (let n = 0; n < nsCount; n++) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns${n}`, labels: { team: `t${n % 5}` } } });
  for (let i = 0; i < workloads; i++) {
    const ns = `ns${i % nsCount}`;
    const labels = { app: `w${i}`, tier: `t${i % 4}` };
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `w${i}`, namespace: ns },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    });
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `w${i}`, namespace: ns }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  }
  for (let j = 0; j < policies; j++) {
    const ns = `ns${j % nsCount}`;
    const target = `w${(j * 7) % workloads}`;
    const from = `w${(j * 13 + 1) % workloads}`;
    let spec: Json;
    switch (j % 6) {
      case 0: spec = { podSelector: { matchLabels: { tier: `t${j % 4}` } }, policyTypes: ['Ingress'] }; break;
      case 1: spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: from } } }], ports: [{ port: 8080 }] }] }; break;
      case 2: spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: `t${j % 5}` } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['t1', 't2'] }] } }] }] }; break;
      case 3: spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.2.0.0/16'] } }], ports: [{ port: 'http' }] }] }; break;
      case 4: spec = { podSelector: { matchLabels: { app: target } }, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8000, endPort: 8100 }] }] }; break;
      default: spec = { podSelector: { matchLabels: { app: target } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: `t${j % 5}` } } }] }, { ports: [{ port: 53, protocol: 'UDP' }] }] }; break;
    }
    out.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `p${j}`, namespace: ns }, spec });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const workloads = arg('workloads', 1000);
  const policies = arg('policies', 1000);
  const runs = arg('runs', 5);
  const objs = reachSet(workloads, policies);
  const writeAt = process.argv.indexOf('--write');
  if (writeAt >= 0) {
    const dir = process.argv[writeAt + 1];
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'set.yaml'), objs.map((o) => dump(o, { lineWidth: -1 })).join('---\n'));
    process.stderr.write(`wrote ${objs.length} objects to ${dir}/set.yaml\n`);
  }
  const loaded = fromObjects(objs, 'bench');
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const cluster = Cluster.build(loaded.objects, syntheticProfile({ nodes: Math.max(3, Math.ceil(workloads / 60)) }));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`reach bench: ${workloads} workloads, ${policies} NetworkPolicies, ${cluster.pods.size} pods; ${cpu}; node ${process.version}`);

  const full: number[] = [];
  const cpuMs: number[] = [];
  let cells = 0;
  let allowed = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const model = PolicyModel.build({ state: cluster, objects: cluster.objects.values() });
    const m = reachMatrix(model, cluster);
    full.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpuMs.push((c1.user + c1.system) / 1000);
    cells = m.cells.length;
    allowed = m.cells.filter((c) => c.allowed).length;
  }
  console.log(`full matrix (model build + ${cells.toLocaleString('en')} cells, ${allowed.toLocaleString('en')} allowed): median ${median(full).toFixed(0)} ms, min ${Math.min(...full).toFixed(0)} ms over ${runs} runs, CPU time median ${median(cpuMs).toFixed(0)} ms (goal < 2000 ms; wall time on a shared machine varies, CPU time is steadier)`);

  // One verdict, explained, on a warm model: source -> destination pod on its port.
  const model = PolicyModel.build({ state: cluster, objects: cluster.objects.values() });
  const pods = [...cluster.pods.values()];
  const n = 20000;
  for (let i = 0; i < 2000; i++) model.verdict({ from: { kind: 'pod', pod: pods[i % pods.length] }, to: { kind: 'pod', pod: pods[(i * 31 + 7) % pods.length] }, port: 8080, protocol: 'TCP' });
  const t1 = performance.now();
  const v0 = process.cpuUsage();
  for (let i = 0; i < n; i++) model.verdict({ from: { kind: 'pod', pod: pods[(i * 17) % pods.length] }, to: { kind: 'pod', pod: pods[(i * 31 + 7) % pods.length] }, port: 8080, protocol: 'TCP' });
  const perVerdict = ((performance.now() - t1) * 1000) / n;
  const vc = process.cpuUsage(v0);
  console.log(`one verdict (explained, warm model): ${perVerdict.toFixed(2)} µs wall, ${((vc.user + vc.system) / n).toFixed(2)} µs CPU, mean over ${n.toLocaleString('en')} (goal < 50 µs)`);

  // A whole trace (DNS + kube-proxy + policy) for scale.
  const ctx = new TraceContext(cluster);
  const src = pods[0];
  const names = [...cluster.services.values()].slice(0, 200).map((s) => `${s.name}.${s.namespace}`);
  connect({ from: { pod: `${src.namespace}/${src.name}` }, to: names[0], port: 80 }, cluster, ctx);
  const t2 = performance.now();
  for (const name of names) connect({ from: { pod: `${src.namespace}/${src.name}` }, to: name, port: 80 }, cluster, ctx);
  const perTrace = ((performance.now() - t2) * 1000) / names.length;
  console.log(`one trace with policy (DNS + kube-proxy + policy, warm context): ${perTrace.toFixed(1)} µs mean over ${names.length}`);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ workloads, policies, pods: cluster.pods.size, cells, matrixMedianMs: median(full), matrixMinMs: Math.min(...full),
      matrixCpuMedianMs: median(cpuMs), verdictUs: perVerdict, verdictCpuUs: (vc.user + vc.system) / n, traceUs: perTrace }));
  }
}

if (require.main === module) main();
