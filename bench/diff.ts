/**
 * `netkit diff` benchmark (issue 20): two 10,000-object manifest sets, before and after a pull
 * request that changes a few things, diffed in memory. Prints the time per phase, the number of
 * witness requests routed on both sides and the changes found.
 *
 *   npm run bench:diff                 # or: npx ts-node --transpile-only bench/diff.ts [apps] [--json]
 *   npx ts-node --transpile-only bench/diff.ts --write DIR   # DIR/before/all.yaml and DIR/after/all.yaml, for `netkit diff`
 *
 * The set: `apps` apps of bench/validate-set.ts (a workload of 3 replicas and a Service each,
 * 20 namespaces; default 4,000 apps = 8,000+ objects), one Gateway per namespace, and one
 * HTTPRoute per two apps (a PathPrefix rule to the app, a header rule to its neighbour, weighted
 * 90/10 on every 10th). The after side: 40 apps scaled 3 -> 4, 20 canary weights 90/10 -> 50/50,
 * one selector typo, one NodePort added. Goal: under 3 s for the diff. `--json`: one more line
 * at the end, the figures as JSON (read by bench/compare.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { stringify } from 'yaml';
import { fromObjects, type ManifestObject } from '../lib/manifest';
import { diffManifests } from '../lib/diff';
import { appObjects } from './validate-set';

// The first number among the arguments (bench/diff-output.ts passes a file name).
const APPS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 4000);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function name(i: number): string {
  return `app-${String(i).padStart(4, '0')}`;
}

/** The before set (exported for profiling). */
export function objects(): Json[] {
  const out: Json[] = [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'bench' }, spec: { controllerName: 'example.com/bench' } }];
  for (let n = 0; n < 20; n++) {
    out.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: `team-${n}` },
      spec: { gatewayClassName: 'bench', listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.team-${n}.example.com` }] } });
  }
  for (let i = 0; i < APPS; i++) out.push(...(appObjects(i) as Json[]));
  // Services are named after their app; the StatefulSet ones also have a `-peers` Service.
  // Stateful apps (every 10th) have only a headless `-peers` Service: routes go to the others.
  for (let i = 1; i + 20 < APPS; i += 2) {
    const ns = `team-${i % 20}`;
    // i and i + 20 share the namespace (i % 20).
    const port = 80;
    out.push({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: name(i), namespace: ns },
      spec: {
        parentRefs: [{ name: 'public' }], hostnames: [`${name(i)}.${ns}.example.com`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-canary', value: 'always' }] }], backendRefs: [{ name: name(i + 20), port }] },
          { matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
            backendRefs: i % 10 === 1 ? [{ name: name(i), port, weight: 90 }, { name: name(i + 20), port, weight: 10 }] : [{ name: name(i), port }] },
        ],
      },
    });
  }
  return out;
}

/** The after set: the changes a pull request makes to `list` (exported for bench/diff-output.ts). */
export function after(list: Json[]): Json[] {
  const out = JSON.parse(JSON.stringify(list)) as Json[];
  let scaled = 0; let weights = 0; let typo = false; let nodePort = false;
  for (const o of out) {
    if (o.kind === 'Deployment' && scaled < 40 && o.spec.replicas === 3) { o.spec.replicas = 4; scaled++; }
    if (o.kind === 'HTTPRoute' && weights < 20 && o.spec.rules[1].backendRefs.length === 2) { o.spec.rules[1].backendRefs[0].weight = 50; o.spec.rules[1].backendRefs[1].weight = 50; weights++; }
    if (o.kind === 'Service' && !typo && o.metadata.name === name(3)) { o.spec.selector = { ...o.spec.selector, app: 'app-OOO3' }; typo = true; }
    if (o.kind === 'Service' && !nodePort && o.metadata.name === name(11)) { o.spec.type = 'NodePort'; nodePort = true; }
  }
  return out;
}

/** The objects as `netkit diff` loads them; throws on a load error (the sets are generated valid). */
export function load(list: readonly unknown[], label: string): ManifestObject[] {
  const r = fromObjects(list, label);
  if (r.errors.length) throw new Error(r.errors.slice(0, 3).map(String).join('\n'));
  return r.objects;
}

/**
 * Both sets as YAML files, written as cdk8s writes them (`yaml`, no aliases): DIR/before/all.yaml
 * and DIR/after/all.yaml, so the CLI (`netkit diff DIR/before DIR/after`) can be timed end to end.
 */
export function writeSets(dir: string): void {
  const a = objects();
  for (const [side, list] of [['before', a], ['after', after(a)]] as const) {
    fs.mkdirSync(path.join(dir, side), { recursive: true });
    fs.writeFileSync(path.join(dir, side, 'all.yaml'), list.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n'));
  }
}

if (require.main === module) {
  const i = process.argv.indexOf('--write');
  if (i > 0) writeSets(process.argv[i + 1] ?? '.');
  else main();
}

function main(): void {
  const t0 = performance.now();
  const a = objects();
  const b = after(a);
  const before = load(a, 'before');
  const afterObjects = load(b, 'after');
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = diffManifests(before, afterObjects);
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  if (process.env.BENCH_DEBUG) for (const c of result.changes.slice(0, 20)) console.log(c.impact, c.subject, c.message);
  const byImpact = new Map<string, number>();
  for (const c of result.changes) byImpact.set(c.impact, (byImpact.get(c.impact) ?? 0) + 1);
  console.log(`objects: ${before.length} before, ${afterObjects.length} after (${APPS} apps, ${a.filter((o) => o.kind === 'HTTPRoute').length} HTTPRoutes)`);
  console.log(`load (zod, both sides): ${Math.round(t1 - t0)} ms`);
  // CPU time is what the process itself used: on a shared machine wall time also counts waiting for a core.
  console.log(`diff: ${Math.round(t2 - t1)} ms wall, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU (goal: under 3,000 ms)`);
  console.log(`witness requests: ${result.witnesses}`);
  console.log(`changes: ${result.changes.length} (${[...byImpact].map(([k, v]) => `${v} ${k}`).join(', ')}); notes: ${result.notes.length}`);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ objectsBefore: before.length, objectsAfter: afterObjects.length, loadMs: t1 - t0, diffMs: t2 - t1,
      diffCpuMs: (cpu.user + cpu.system) / 1000, witnesses: result.witnesses, changes: result.changes.length }));
  }
}
