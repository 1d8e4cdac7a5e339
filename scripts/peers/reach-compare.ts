/**
 * netkit's reachability side by side with np-guard netpol-analyzer v1.4.4 and cyclonus v0.5.6
 * (built by scripts/peers/build.sh from their Go modules at those exact versions), on the same
 * inputs in one run:
 *
 * 1. the upstream e2e netpol truth tables (test/engine/policy/netpol-e2e-cases.ts), the cyclonus
 *    generated cases (test/engine/policy/cyclonus-cases.ts, every served port) and the
 *    microservices-demo example with its 13 NetworkPolicies: one verdict per cell
 *    (source, destination, port/protocol; loopback skipped) from each tool, an agreement table
 *    per case, and every disagreement with the explanation of who is right by the API
 *    (`DISAGREEMENTS` below; one the table does not explain is printed as UNEXPLAINED);
 * 2. the time of each tool on bench/reach.ts's 1,000 workloads x 1,000 NetworkPolicies set,
 *    the whole process, median of N interleaved rounds (`--runs`, default 1; no warm-up), each
 *    run bounded by `--scale-timeout` seconds (default 900), all in the same run.
 *
 *   npm run reach:peers                          # builds what is missing, then compares
 *   npm run reach:peers -- --skip-build --no-scale   # the agreement tables only
 *   npm run reach:peers -- --skip-build --runs 3 --scale-timeout 600
 *
 * How each tool is asked (each one's own interface, nothing patched):
 * - netkit: the policy model in this process (the same code `netkit reach` runs); the timing
 *   runs the real CLI (`node bin/netkit.js reach <set.yaml> -o csv`).
 * - netpol-analyzer: `k8snetpolicy list --dirpath <dir> -o json` over Namespaces, Pods (with
 *   the pod IPs netkit's simulation gave them, in `status.podIP`, so ipBlock cases aim at the
 *   same addresses) and the policies as written; a cell is allowed when the pair's listed
 *   connections contain the port/protocol. Loopback is not listed by it.
 * - cyclonus: `cyclonus analyze --mode query-traffic` with one traffic entry per cell (source and
 *   destination namespace, labels and IP, resolved port and name, protocol), reading the
 *   policies as a NetworkPolicyList with `policyTypes` set as the API server defaults it
 *   (`SetDefaults_NetworkPolicy`): cyclonus refuses a policy without it (`pkg/kube/read.go`),
 *   since it expects policies read back from a cluster. Its scale time runs `--mode probe`
 *   on the 1,000 pods (a synthetic probe of every pair).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump } from 'js-yaml';
import { reachSet } from '../../bench/reach';
import { mib, ms, runProcess, type ProcessRun } from '../../bench/measure';
import { Cluster } from '../../lib/engine/cluster';
import type { PodInfo, Protocol } from '../../lib/engine/model';
import { PolicyModel } from '../../lib/engine/policy';
import { reachMatrix } from '../../lib/engine/policy/matrix';
import { syntheticProfile } from '../../lib/engine/profile';
import { fromObjects, loadManifests, type ManifestObject } from '../../lib/manifest';
import { CYCLONUS_CASES, PROBES } from '../../test/engine/policy/cyclonus-cases';
import { E2E_CASES } from '../../test/engine/policy/netpol-e2e-cases';
import { buildModel, modelObjects, PEERS } from '../../test/engine/policy/netpol-harness';

const ROOT = path.join(__dirname, '..', '..');
const PEERS_DIR = process.env.NETKIT_PEERS_DIR ?? path.join(os.homedir(), '.cache', 'netkit-peers');

type Json = Record<string, unknown>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

interface Tool {
  readonly name: 'netpol-analyzer' | 'cyclonus';
  readonly bin?: string;
  readonly version: string;
  readonly error?: string;
}

function tool(name: Tool['name']): Tool {
  const bin = path.join(PEERS_DIR, 'bin', name);
  const read = (f: string): string | undefined => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : undefined);
  if (fs.existsSync(bin)) return { name, bin, version: read(path.join(PEERS_DIR, `${name}.version`)) ?? 'unknown version' };
  return { name, version: 'not built', error: read(path.join(PEERS_DIR, `${name}.error`)) ?? 'not built (scripts/peers/build.sh)' };
}

/** One cell: source and destination (`ns/name`), port/protocol. */
interface Cell {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** One compared case: the objects each tool reads and the cells to judge. */
interface CompareCase {
  readonly suite: 'e2e' | 'cyclonus' | 'example';
  readonly name: string;
  /** Everything, as written (Namespaces, Pods or workloads, policies). */
  readonly objects: readonly Json[];
  readonly cells: readonly Cell[];
  /** netkit's verdict per cell key. */
  readonly netkit: ReadonlyMap<string, boolean>;
  /** The pod standing for each `ns/name`, with its simulated IP. */
  readonly pods: ReadonlyMap<string, PodInfo>;
  readonly nsLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** For netpol-analyzer: `ns/name[Kind]` -> `ns/name`. */
  readonly analyzerName: (id: string) => string;
}

const key = (c: Cell): string => `${c.from}>${c.to}:${c.port}/${c.protocol}`;

function isPolicy(o: Json): boolean {
  return o.kind === 'NetworkPolicy';
}

/** A case over the x/y/z a/b/c model. */
function modelCase(suite: 'e2e' | 'cyclonus', name: string, policies: readonly Json[], probes: readonly { port: number; protocol: Protocol }[], nsLabels: Record<string, Record<string, string>> = {}, podLabels: Record<string, Record<string, string>> = {}): CompareCase {
  const { cluster, policy } = buildModel([...policies], {}, nsLabels, podLabels);
  const pods = new Map<string, PodInfo>();
  for (const id of PEERS) {
    const p = cluster.pods.get(id);
    if (!p) throw new Error(`model pod ${id} missing`);
    pods.set(id, p);
  }
  const cells: Cell[] = [];
  const netkit = new Map<string, boolean>();
  for (const { port, protocol } of probes) {
    for (const from of PEERS) {
      for (const to of PEERS) {
        if (from === to) continue;
        const cell = { from, to, port, protocol };
        cells.push(cell);
        netkit.set(key(cell), policy.verdict({ from: { kind: 'pod', pod: pods.get(from) as PodInfo }, to: { kind: 'pod', pod: pods.get(to) as PodInfo }, port, protocol }).allowed);
      }
    }
  }
  // Pods carry the simulated IPs, so both peers see the addresses ipBlock cases aim at.
  const objects = modelObjects(nsLabels, podLabels).map((o) => (o.kind === 'Pod' ? withStatus(o, pods) : o));
  const labels = new Map<string, Record<string, string>>();
  for (const o of objects) if (o.kind === 'Namespace') labels.set((o.metadata as { name: string }).name, { ...((o.metadata as { labels?: Record<string, string> }).labels ?? {}), 'kubernetes.io/metadata.name': (o.metadata as { name: string }).name });
  return { suite, name, objects: [...objects, ...policies], cells, netkit, pods, nsLabels: labels, analyzerName: (id) => id.replace(/\[Pod\]$/, '') };
}

function withStatus(pod: Json, pods: ReadonlyMap<string, PodInfo>): Json {
  const m = pod.metadata as { name: string; namespace: string };
  const ip = pods.get(`${m.namespace}/${m.name}`)?.ip;
  return { ...pod, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } };
}

/** microservices-demo: every workload to every other on each port the destination declares. */
function exampleCase(): CompareCase {
  const dir = path.join(ROOT, 'test', 'fixtures', 'microservices-demo');
  const loaded = loadManifests([dir]);
  if (loaded.errors.length) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const cluster = Cluster.build(loaded.objects, syntheticProfile());
  const model = PolicyModel.build({ state: cluster, objects: cluster.objects.values() });
  const m = reachMatrix(model, cluster);
  const pods = new Map<string, PodInfo>();
  for (const w of m.workloads) {
    const p = cluster.pods.get(w.pod);
    if (p) pods.set(w.id, p);
  }
  const cells: Cell[] = [];
  const netkit = new Map<string, boolean>();
  for (const c of m.cells) {
    if (c.from === c.to) continue;
    const cell = { from: c.from, to: c.to, port: c.port, protocol: c.protocol };
    cells.push(cell);
    netkit.set(key(cell), c.allowed);
  }
  const labels = new Map<string, Record<string, string>>();
  for (const ns of cluster.namespaces) labels.set(ns, { 'kubernetes.io/metadata.name': ns });
  for (const o of loaded.objects as ManifestObject[]) if (o.ref.kind === 'Namespace') labels.set(o.ref.name, { ...((o.raw.metadata as { labels?: Record<string, string> }).labels ?? {}), 'kubernetes.io/metadata.name': o.ref.name });
  return {
    suite: 'example', name: 'microservices-demo (13 NetworkPolicies, every workload pair on every declared port)',
    objects: loaded.objects.map((o) => o.raw as Json), cells, netkit, pods, nsLabels: labels,
    analyzerName: (id) => id.replace(/\[[A-Za-z]+\]$/, ''),
  };
}

// ---- the peers ----

/** `SetDefaults_NetworkPolicy`: Ingress always, Egress when egress rules exist. */
function defaultedPolicy(o: Json): Json {
  const spec = (o.spec ?? {}) as Json;
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return o;
  const types = ['Ingress', ...(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Egress'] : [])];
  return { ...o, spec: { ...spec, policyTypes: types } };
}

function writeYaml(file: string, objects: readonly Json[]): void {
  fs.writeFileSync(file, objects.map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n'));
}

/** netpol-analyzer's connection string (`All Connections`, `TCP 80-82,UDP 53`, ...) as a predicate. */
export function analyzerConnAllows(conn: string, port: number, protocol: Protocol): boolean {
  if (conn === 'All Connections') return true;
  let current: string | undefined;
  for (const part of conn.split(',').map((s) => s.trim())) {
    const m = /^(TCP|UDP|SCTP)\s+(.*)$/.exec(part);
    let range = part;
    if (m) {
      current = m[1];
      range = m[2];
    }
    if (current !== protocol) continue;
    const [lo, hi] = range.split('-').map(Number);
    if (port >= lo && port <= (hi ?? lo)) return true;
  }
  return false;
}

function runAnalyzer(bin: string, c: CompareCase, dir: string): Map<string, boolean> | string {
  const d = path.join(dir, 'netpol-analyzer');
  fs.mkdirSync(d, { recursive: true });
  writeYaml(path.join(d, 'manifests.yaml'), c.objects);
  const r = spawnSync(bin, ['list', '--dirpath', d, '-o', 'json', '-q'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) return `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`;
  let conns: { src: string; dst: string; conn: string }[];
  try {
    conns = JSON.parse(r.stdout) as { src: string; dst: string; conn: string }[];
  } catch {
    return `unreadable output: ${r.stdout.slice(0, 200)}`;
  }
  const byPair = new Map<string, string>();
  for (const x of conns) byPair.set(`${c.analyzerName(x.src)}>${c.analyzerName(x.dst)}`, x.conn);
  const out = new Map<string, boolean>();
  for (const cell of c.cells) {
    const conn = byPair.get(`${cell.from}>${cell.to}`);
    out.set(key(cell), conn !== undefined && analyzerConnAllows(conn, cell.port, cell.protocol));
  }
  return out;
}

function trafficPeer(c: CompareCase, id: string): Json {
  const pod = c.pods.get(id) as PodInfo;
  return { Internal: { PodLabels: pod.labels, NamespaceLabels: c.nsLabels.get(pod.namespace) ?? {}, Namespace: pod.namespace }, IP: pod.ip };
}

function runCyclonus(bin: string, c: CompareCase, dir: string): Map<string, boolean> | string {
  const d = path.join(dir, 'cyclonus');
  fs.mkdirSync(d, { recursive: true });
  const policies = c.objects.filter(isPolicy).map(defaultedPolicy);
  fs.writeFileSync(path.join(d, 'policies.yaml'), dump({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: policies }, { lineWidth: -1, noRefs: true }));
  const traffic = c.cells.map((cell) => {
    const dst = c.pods.get(cell.to) as PodInfo;
    const name = dst.containerPorts.find((p) => p.containerPort === cell.port && p.protocol === cell.protocol)?.name ?? '';
    return { Source: trafficPeer(c, cell.from), Destination: trafficPeer(c, cell.to), ResolvedPort: cell.port, ResolvedPortName: name, Protocol: cell.protocol };
  });
  fs.writeFileSync(path.join(d, 'traffic.json'), JSON.stringify(traffic));
  const r = spawnSync(bin, ['analyze', '--policy-path', path.join(d, 'policies.yaml'), '--mode', 'query-traffic', '--traffic-path', path.join(d, 'traffic.json')], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) return `exit ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0].slice(0, 300)}`;
  // One "Is traffic allowed?" table per traffic entry, in order; its footer says TRUE or FALSE.
  const verdicts = [...r.stdout.matchAll(/\|\s*IS ALLOWED\?\s*\|\s*(TRUE|FALSE)\s*\|/g)].map((m) => m[1] === 'TRUE');
  if (verdicts.length !== c.cells.length) return `read ${verdicts.length} verdicts for ${c.cells.length} traffic entries`;
  const out = new Map<string, boolean>();
  c.cells.forEach((cell, i) => out.set(key(cell), verdicts[i]));
  return out;
}

// ---- disagreements, explained ----

/**
 * Every disagreement this comparison has shown, with who is right by the API and why. Matched
 * by suite, case-name pattern and tool; the script prints any other disagreement as
 * UNEXPLAINED, so a new one cannot slip into the table silently.
 */
interface Explanation {
  readonly tool: Tool['name'];
  readonly cases: RegExp;
  /** Who is right by the spec. */
  readonly right: 'netkit' | 'peer' | 'either (implementation-defined)';
  readonly why: string;
}

const IPBLOCK_PODS = 'The API reference defines an ipBlock peer as a CIDR range without excluding pod addresses; the concepts page (Network Policies, "ipBlock") only advises cluster-external IPs since pod IPs are ephemeral, and the upstream e2e suite asserts that an ipBlock naming pod IPs admits those pods (test/e2e/network/netpol/network_policy.go, "should allow egress access to server in CIDR block" and the except-clause specs). netpol-analyzer never lets an ipBlock select a pod (pkg/netpol/eval/internal/k8s/netpol.go, ruleSelectsPeer: "assuming that peer of type Pod cannot be selected by IPBlock"), which is what netkit answers under its `ipBlockMatchesPods: false` profile option (Cilium behaves so).';

const DISAGREEMENTS: readonly Explanation[] = [
  {
    tool: 'netpol-analyzer',
    cases: /^e2e: should (allow egress access to server in CIDR block|enforce except clause while egress access to server in CIDR block|ensure an IP overlapping both IPBlock\.CIDR and IPBlock\.Except is allowed)$|^cyclonus: peers: (ingress|egress): simple ipblock$|^cyclonus: conflict: .*allow all by IP/,
    right: 'netkit',
    why: IPBLOCK_PODS,
  },
  {
    tool: 'netpol-analyzer',
    cases: /^e2e: should allow egress access on one named port/,
    right: 'netkit',
    why: 'The policy is valid (the API server admits a named port in an egress rule without `to`), and the e2e spec asserts its verdicts: a named port resolves on the destination pod (networking/v1 NetworkPolicyPort: "a named port on a pod"), so destinations outside the cluster simply do not match. netpol-analyzer refuses the whole input instead ("cannot convert named port for an IP destination", pkg/netpol/internal/alerts/errors.go), since it evaluates every rule against its external 0.0.0.0/0 peer too.',
  },
];

// ---- the run ----

interface Outcome {
  readonly c: CompareCase;
  readonly results: Map<Tool['name'], Map<string, boolean> | string>;
}

function compareAll(tools: readonly Tool[], work: string): Outcome[] {
  const cases: CompareCase[] = [
    ...E2E_CASES.map((e) => {
      const ipOf = (k: string): string => buildModel([]).cluster.pods.get(k)?.ip ?? '';
      return modelCase('e2e', e.name, e.policies(ipOf), [{ port: e.port, protocol: e.protocol ?? 'TCP' }]);
    }),
    ...CYCLONUS_CASES.map((g) => modelCase('cyclonus', `${g.family}: ${g.name}`, g.policies, PROBES, g.nsLabels, g.podLabels)),
    exampleCase(),
  ];
  return cases.map((c, i) => {
    const dir = path.join(work, String(i).padStart(3, '0'));
    const results = new Map<Tool['name'], Map<string, boolean> | string>();
    for (const t of tools) {
      if (!t.bin) continue;
      results.set(t.name, t.name === 'netpol-analyzer' ? runAnalyzer(t.bin, c, dir) : runCyclonus(t.bin, c, dir));
    }
    return { c, results };
  });
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function report(tools: readonly Tool[], outcomes: readonly Outcome[]): { lines: string[]; unexplained: number } {
  const lines: string[] = [];
  let unexplained = 0;
  const cellCount = outcomes.reduce((n, o) => n + o.c.cells.length, 0);
  lines.push(`### Agreement per case (${outcomes.length} cases, ${cellCount.toLocaleString('en')} cells; a cell is one source -> destination on one port/protocol, loopback skipped)`, '');
  lines.push(`| suite | case | cells | netkit allows | ${tools.map((t) => `${t.name} agrees`).join(' | ')} |`);
  lines.push(`| --- | --- | ---: | ---: | ${tools.map(() => '---:').join(' | ')} |`);
  // Disagreements grouped by their explanation (each explanation printed once).
  const groups = new Map<Explanation | undefined, string[]>();
  const note = (ex: Explanation | undefined, line: string): void => {
    groups.set(ex, [...(groups.get(ex) ?? []), line]);
  };
  const totals = new Map<string, { agree: number; cells: number }>();
  for (const { c, results } of outcomes) {
    const allowed = [...c.netkit.values()].filter(Boolean).length;
    const cols = tools.map((t) => {
      const r = results.get(t.name);
      if (r === undefined) return 'not run';
      if (typeof r === 'string') {
        const ex = DISAGREEMENTS.find((d) => d.tool === t.name && d.cases.test(`${c.suite}: ${c.name}`));
        if (!ex) unexplained++;
        note(ex, `${t.name}: ${c.suite} "${c.name}": refused the input (${r})`);
        return 'refused';
      }
      const diff = c.cells.filter((cell) => r.get(key(cell)) !== c.netkit.get(key(cell)));
      const tot = totals.get(t.name) ?? { agree: 0, cells: 0 };
      tot.agree += c.cells.length - diff.length;
      tot.cells += c.cells.length;
      totals.set(t.name, tot);
      if (diff.length === 0) return `${c.cells.length}/${c.cells.length}`;
      const ex = DISAGREEMENTS.find((d) => d.tool === t.name && d.cases.test(`${c.suite}: ${c.name}`));
      const sample = diff.slice(0, 4).map((cell) => `${cell.from} -> ${cell.to} ${cell.port}/${cell.protocol} (netkit ${c.netkit.get(key(cell)) ? 'allows' : 'denies'})`).join('; ');
      if (!ex) unexplained++;
      note(ex, `${t.name}: ${c.suite} "${c.name}": ${diff.length} cells differ, e.g. ${sample}${diff.length > 4 ? ', ...' : ''}`);
      return `**${c.cells.length - diff.length}/${c.cells.length}**`;
    });
    lines.push(`| ${c.suite} | ${mdEscape(c.name)} | ${c.cells.length} | ${allowed} | ${cols.join(' | ')} |`);
  }
  lines.push(`| **all** | | **${cellCount.toLocaleString('en')}** | | ${tools.map((t) => {
    const tot = totals.get(t.name);
    return tot ? `**${tot.agree.toLocaleString('en')}/${tot.cells.toLocaleString('en')}**` : 'not run';
  }).join(' | ')} |`);
  const notes: string[] = [];
  for (const [ex, items] of groups) {
    notes.push(ex ? `**${ex.tool}, right by the spec: ${ex.right}.** ${ex.why}` : '**UNEXPLAINED** (add an entry to DISAGREEMENTS in scripts/peers/reach-compare.ts):', '', ...items.map((i) => `- ${i}`), '');
  }
  lines.push('', '### Disagreements', '', ...(notes.length ? notes : ['None: every cell agrees.']));
  return { lines: [...summary(tools, outcomes), ...lines], unexplained };
}

/** Per suite: cases, cells, and for each peer the cases it agrees on fully, refuses, and its agreeing cells. */
function summary(tools: readonly Tool[], outcomes: readonly Outcome[]): string[] {
  const suites = [...new Set(outcomes.map((o) => o.c.suite))];
  const lines = ['### Summary', '', `| suite | cases | cells | ${tools.map((t) => `${t.name}: cases agreeing / refused, cells agreeing`).join(' | ')} |`, `| --- | ---: | ---: | ${tools.map(() => '---').join(' | ')} |`];
  for (const suite of suites) {
    const os = outcomes.filter((o) => o.c.suite === suite);
    const cells = os.reduce((n, o) => n + o.c.cells.length, 0);
    const cols = tools.map((t) => {
      let full = 0;
      let refused = 0;
      let agree = 0;
      let judged = 0;
      for (const o of os) {
        const r = o.results.get(t.name);
        if (r === undefined) continue;
        if (typeof r === 'string') { refused++; continue; }
        const ok = o.c.cells.filter((cell) => r.get(key(cell)) === o.c.netkit.get(key(cell))).length;
        agree += ok;
        judged += o.c.cells.length;
        if (ok === o.c.cells.length) full++;
      }
      return `${full}/${os.length}${refused ? ` / ${refused} refused` : ''}, ${agree.toLocaleString('en')}/${judged.toLocaleString('en')}`;
    });
    lines.push(`| ${suite} | ${os.length} | ${cells.toLocaleString('en')} | ${cols.join(' | ')} |`);
  }
  return [...lines, ''];
}

/**
 * The netkit CLI, compiled: build/ when there is one (bin/netkit.js loads it), else the sources
 * compiled once into node_modules/.cache (not build/, which would shadow the sources for
 * bin/netkit.js), so the timing does not include ts-node compiling TypeScript at start.
 */
function netkitCommand(args: string[]): { label: string; command: string; args: string[] } {
  if (fs.existsSync(path.join(ROOT, 'build', 'lib', 'cli', 'main.js'))) return { label: 'netkit reach -o csv (CLI, build/)', command: process.execPath, args: [path.join(ROOT, 'bin', 'netkit.js'), ...args] };
  const out = path.join(ROOT, 'node_modules', '.cache', 'netkit-reach-peers-build');
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json'), '--outDir', out], { encoding: 'utf8' });
  if (tsc.status !== 0) {
    process.stderr.write(`compiling for the timing failed, timing ts-node instead:\n${tsc.stdout}${tsc.stderr}\n`);
    return { label: 'netkit reach -o csv (CLI through ts-node, compiles at start)', command: process.execPath, args: [path.join(ROOT, 'bin', 'netkit.js'), ...args] };
  }
  const main = JSON.stringify(path.join(out, 'lib', 'cli', 'main.js'));
  const run = `require(${main}).runCli(${JSON.stringify(args)}, { stdout: process.stdout, stderr: process.stderr }).then((c) => { process.exitCode = c; })`;
  return { label: 'netkit reach -o csv (CLI, compiled)', command: process.execPath, args: ['-e', run] };
}

/** Each tool's whole-process time on the 1,000 x 1,000 set. */
function scale(tools: readonly Tool[], work: string, runs: number): string[] {
  const workloads = Number(arg('scale-workloads') ?? 1000);
  const policies = Number(arg('scale-policies') ?? 1000);
  const d = path.join(work, 'scale');
  fs.mkdirSync(path.join(d, 'manifests'), { recursive: true });
  const objs = reachSet(workloads, policies);
  writeYaml(path.join(d, 'manifests', 'set.yaml'), objs);
  // cyclonus's synthetic probe needs pods with IPs: take them from netkit's simulation.
  const loaded = fromObjects(objs, 'scale');
  const cluster = Cluster.build(loaded.objects, syntheticProfile({ nodes: Math.max(3, Math.ceil(workloads / 60)) }));
  const nsLabels: Record<string, Record<string, string>> = {};
  for (const o of objs) if (o.kind === 'Namespace') nsLabels[(o.metadata as { name: string }).name] = { ...((o.metadata as { labels?: Record<string, string> }).labels ?? {}), 'kubernetes.io/metadata.name': (o.metadata as { name: string }).name };
  const probe = {
    Resources: {
      Namespaces: nsLabels,
      Pods: [...cluster.pods.values()].map((p) => ({ Namespace: p.namespace, Name: p.name, Labels: p.labels, IP: p.ip, Containers: p.containerPorts.map((c) => ({ Name: 'c', Port: c.containerPort, Protocol: c.protocol, PortName: c.name ?? '' })) })),
    },
    Probes: [{ Port: 8080, Protocol: 'TCP' }],
  };
  fs.writeFileSync(path.join(d, 'probe.json'), JSON.stringify(probe));
  fs.writeFileSync(path.join(d, 'policies.yaml'), dump({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: objs.filter(isPolicy).map(defaultedPolicy) }, { lineWidth: -1, noRefs: true }));
  // As many nodes as bench/reach.ts gives the set (60 pods each), so every pod runs: with the
  // CLI's default 3 nodes of 110 pods, most would stay Pending and the matrix would be smaller.
  fs.writeFileSync(path.join(d, 'profile.yaml'), `nodes: ${Math.max(3, Math.ceil(workloads / 60))}\n`);
  const commands: { label: string; command: string; args: string[] }[] = [netkitCommand(['reach', path.join(d, 'manifests'), '--profile', path.join(d, 'profile.yaml'), '-o', 'csv'])];
  for (const t of tools) {
    if (!t.bin) continue;
    if (t.name === 'netpol-analyzer') commands.push({ label: 'netpol-analyzer list -o json', command: t.bin, args: ['list', '--dirpath', path.join(d, 'manifests'), '-o', 'json', '-q'] });
    else commands.push({ label: 'cyclonus analyze --mode probe', command: t.bin, args: ['analyze', '--policy-path', path.join(d, 'policies.yaml'), '--mode', 'probe', '--probe-path', path.join(d, 'probe.json')] });
  }
  // No warm-up round: a peer may take minutes here. Rounds are interleaved (every tool once per
  // round) so all see the same background load; `timeout` bounds each run.
  const limit = Number(arg('scale-timeout') ?? 900);
  const runsOf: ProcessRun[][] = commands.map(() => []);
  for (let r = 0; r < runs; r++) {
    commands.forEach((c, i) => runsOf[i].push(runProcess('timeout', [String(limit), c.command, ...c.args])));
  }
  const lines = ['', `### Time on ${workloads.toLocaleString('en')} workloads x ${policies.toLocaleString('en')} NetworkPolicies (bench/reach.ts's set; whole process, median of ${runs} interleaved round(s), no warm-up, each run bounded to ${limit} s)`, ''];
  lines.push('| tool | wall | CPU | peak RSS | exit | output |', '| --- | ---: | ---: | ---: | ---: | --- |');
  runsOf.forEach((rs, i) => {
    const last = rs[rs.length - 1];
    const med = (xs: (number | undefined)[]): number | undefined => {
      const v = xs.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)] : undefined;
    };
    const out = last.status === 124 ? `did not finish within ${limit} s` : last.status === 0 ? `${(last.stdout.length / 1024).toFixed(0)} KiB` : (last.stderr || last.stdout).trim().split('\n').slice(-1)[0].slice(0, 120);
    lines.push(`| ${commands[i].label} | ${ms(med(rs.map((x) => x.wallMs)))} | ${ms(med(rs.map((x) => x.cpuMs)))} | ${mib(med(rs.map((x) => x.maxRssKiB)))} | ${last.status} | ${mdEscape(out)} |`);
  });
  return lines;
}

function main(): void {
  if (!flag('skip-build')) {
    const b = spawnSync('bash', [path.join(__dirname, 'build.sh'), 'netpol-analyzer', 'cyclonus'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (b.status !== 0) process.stderr.write(`scripts/peers/build.sh exited ${b.status}\n`);
  }
  const tools = [tool('netpol-analyzer'), tool('cyclonus')];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-reach-peers-'));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const out: string[] = [`## netkit reach vs ${tools.map((t) => `${t.name} (${t.version})`).join(' and ')}`, '', `${cpu}, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start.`, ''];
  for (const t of tools) if (t.error) out.push(`- ${t.name} is missing: ${t.error.split('\n').slice(-2).join(' ')}`);
  const outcomes = compareAll(tools, work);
  const { lines, unexplained } = report(tools, outcomes);
  out.push(...lines);
  if (!flag('no-scale')) out.push(...scale(tools, work, Number(arg('runs') ?? 1)));
  out.push('', `Inputs written under ${work} (kept for a look; delete when done).`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (unexplained > 0) {
    process.stderr.write(`${unexplained} disagreement(s) without an explanation in DISAGREEMENTS\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
