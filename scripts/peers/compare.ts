/**
 * netkit side by side with kube-linter and kube-score (built by scripts/peers/build.sh from their
 * Go modules at pinned versions):
 *
 * 1. the rule corpus (test/rules/corpus/<rule>/fail-*.yaml must be flagged, pass-*.yaml must not):
 *    which tool flags each case, with the peers' check ids mapped to our rule where they check the
 *    same thing;
 * 2. run time of the whole process on the 10,000-object set of bench/validate-set.ts, median of
 *    N runs each, wall and peak RSS, all three in the same run.
 *
 *   npm run bench:peers                       # = ts-node --transpile-only scripts/peers/compare.ts
 *   npx ts-node --transpile-only scripts/peers/compare.ts --runs 5 --skip-build [--cli other/bin/netkit.js]
 *
 * Prints markdown (the tables in the README come from here). netkit's corpus column runs the same
 * loader and rules as `netkit validate` in this process (one CLI start per case would only add
 * Node start-up); the timing table runs the real CLI (`node bin/netkit.js validate <dir>`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type ProcessStats, measureInterleaved, mib, ms, runProcess } from '../../bench/measure';
import { cliMode, findingsOf } from '../../bench/validate';
import { writeValidateSet } from '../../bench/validate-set';
import { loadManifests } from '../../lib/manifest';
import { runRules } from '../../lib/rules';

const ROOT = path.join(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'rules', 'corpus');
const PEERS_DIR = process.env.NETKIT_PEERS_DIR ?? path.join(os.homedir(), '.cache', 'netkit-peers');

/**
 * Peer checks that test the same thing as one of our rules (from their sources and docs, see
 * ../shared/research/validators-and-routing.md §1.1, §1.2). Checks not listed here (resource
 * limits, image tags, NetworkPolicy coverage, PDBs, ...) are outside netkit's scope.
 */
const KUBE_SCORE_MAP: Readonly<Record<string, readonly string[]>> = {
  'service-targets-pod': ['service-selects-no-pod'],
  'service-type': ['service-exposed-without-source-ranges'],
  'statefulset-has-servicename': ['statefulset-governing-service', 'statefulset-service-name-invalid'],
  'deployment-pod-selector-labels-match-template-metadata-labels': ['workload-selector-mismatch'],
  'statefulset-pod-selector-labels-match-template-metadata-labels': ['workload-selector-mismatch'],
  'container-ports-check': ['pod-spec-invalid'],
  'pod-probes': ['service-pod-no-readiness-probe'],
  'label-values': ['labels-invalid'],
};

const KUBE_LINTER_MAP: Readonly<Record<string, readonly string[]>> = {
  'dangling-service': ['service-selects-no-pod'],
  'mismatching-selector': ['workload-selector-mismatch'],
  'invalid-target-ports': ['pod-spec-invalid', 'service-invalid'],
  'liveness-port': ['probe-port-not-declared'],
  'readiness-port': ['probe-port-not-declared'],
  'startup-port': ['probe-port-not-declared'],
  'exposed-services': ['service-exposed-without-source-ranges'],
  'host-network': ['pod-host-network'],
  'privileged-ports': ['privileged-port-exposed'],
  'ssh-port': ['ssh-port-exposed'],
};

/** kube-linter checks that are off by default but test what our rules test: turned on for the corpus. */
const KUBE_LINTER_INCLUDE = ['exposed-services', 'privileged-ports'];
/** kube-score's optional check for container ports: turned on for the corpus. */
const KUBE_SCORE_OPTIONAL = ['container-ports-check'];

interface Peer {
  readonly name: string;
  readonly bin?: string;
  readonly version: string;
  /** Why it is missing. */
  readonly error?: string;
  readonly map: Readonly<Record<string, readonly string[]>>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function peer(name: string, map: Readonly<Record<string, readonly string[]>>): Peer {
  const bin = path.join(PEERS_DIR, 'bin', name);
  const read = (f: string): string | undefined => {
    try { return fs.readFileSync(path.join(PEERS_DIR, f), 'utf8').trim(); } catch { return undefined; }
  };
  if (fs.existsSync(bin)) return { name, bin, version: read(`${name}.version`) ?? 'unknown version', map };
  return { name, version: 'not built', error: read(`${name}.error`) ?? 'not built (run scripts/peers/build.sh)', map };
}

/** Check ids a peer reports on one manifest file (failing checks only). */
function peerChecks(p: Peer, file: string): Set<string> | string {
  if (!p.bin) return 'not built';
  if (p.name === 'kube-score') {
    const r = runProcess(p.bin, ['score', '-o', 'json', ...KUBE_SCORE_OPTIONAL.flatMap((t) => ['--enable-optional-test', t]), file]);
    try {
      // `null` when the file has no object kube-score scores (e.g. only Gateway API objects).
      const objects = (JSON.parse(r.stdout) ?? []) as { checks: { check: { id: string }; grade: number; skipped: boolean }[] }[];
      // Grades: 1 critical, 5 warning, 7 almost OK, 10 OK (kube-score scorecard/scorecard.go).
      return new Set(objects.flatMap((o) => o.checks.filter((c) => !c.skipped && c.grade <= 5).map((c) => c.check.id)));
    } catch {
      return `error: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
    }
  }
  const r = runProcess(p.bin, ['lint', '--format', 'json', '--include', KUBE_LINTER_INCLUDE.join(','), file]);
  try {
    const out = JSON.parse(r.stdout) as { Reports?: { Check: string }[] | null };
    return new Set((out.Reports ?? []).map((x) => x.Check));
  } catch {
    return `error: ${(r.stderr || r.stdout).trim().split('\n')[0]}`;
  }
}

interface Case { readonly rule: string; readonly file: string; readonly expect: 'fail' | 'pass' }

function corpusCases(): Case[] {
  return fs.readdirSync(CORPUS).sort().flatMap((rule) => fs.readdirSync(path.join(CORPUS, rule)).sort()
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ rule, file: path.join(CORPUS, rule, f), expect: f.startsWith('fail') ? 'fail' as const : 'pass' as const })));
}

/** One table cell: does the tool flag this case's rule, by which check, and what else it flags. */
function peerCell(p: Peer, c: Case, checks: Set<string> | string, tally: Tally): string {
  if (typeof checks === 'string') return checks;
  const same = Object.entries(p.map).filter(([, rules]) => rules.includes(c.rule)).map(([id]) => id);
  const fired = [...checks].filter((id) => p.map[id] !== undefined);
  const hit = fired.filter((id) => same.includes(id));
  const other = fired.filter((id) => !same.includes(id));
  let cell: string;
  if (same.length === 0) cell = 'no such check';
  else {
    cell = hit.length > 0 ? `**flags** (${hit.join(', ')})` : 'no';
    tally.add(c, hit.length > 0);
  }
  return other.length > 0 ? `${cell}; also ${other.join(', ')}` : cell;
}

class Tally {
  public right = 0;
  public covered = 0;
  public add(c: Case, flagged: boolean): void {
    this.covered++;
    if (flagged === (c.expect === 'fail')) this.right++;
  }
}

function corpusTable(peers: readonly Peer[]): string[] {
  const lines: string[] = [];
  const cases = corpusCases();
  const tallies = new Map<string, Tally>([['netkit', new Tally()], ...peers.map((p) => [p.name, new Tally()] as [string, Tally])]);
  lines.push(`| case | expected | netkit | ${peers.map((p) => p.name).join(' | ')} |`);
  lines.push(`|---|---|---|${peers.map(() => '---|').join('')}`);
  for (const c of cases) {
    const loaded = loadManifests([c.file]);
    let netkit: string;
    if (loaded.errors.length > 0) {
      netkit = `load error: ${loaded.errors[0].message}`;
    } else {
      const found = runRules(loaded.objects).violations;
      const flagged = found.some((v) => v.ruleId === c.rule);
      tallies.get('netkit')?.add(c, flagged);
      const others = [...new Set(found.filter((v) => v.ruleId !== c.rule).map((v) => v.ruleId))];
      netkit = `${flagged ? '**flags**' : 'no'}${others.length > 0 ? `; also ${others.join(', ')}` : ''}`;
    }
    const cells = peers.map((p) => peerCell(p, c, peerChecks(p, c.file), tallies.get(p.name) ?? new Tally()));
    lines.push(`| ${c.rule}/${path.basename(c.file)} | ${c.expect === 'fail' ? 'flag' : 'pass'} | ${netkit} | ${cells.join(' | ')} |`);
  }
  const summary: string[] = [];
  summary.push(`Cases: ${cases.length} (${cases.filter((c) => c.expect === 'fail').length} must-fail, ${cases.filter((c) => c.expect === 'pass').length} near misses). ` +
    '"Right" = flags a must-fail case or passes a near miss, counted over the cases whose rule the tool has a check for:');
  summary.push('');
  for (const [name, t] of tallies) {
    const p = peers.find((x) => x.name === name);
    summary.push(`- ${name}: ${p && !p.bin ? 'not built' : `${t.right} of ${t.covered} right (has a check for ${t.covered} of ${cases.length} cases)`}`);
  }
  summary.push('');
  summary.push('A cell says whether the tool flags the case\'s rule (for a peer: one of its checks mapped to that rule, named in brackets), ' +
    '"no such check" when the peer has none, and "also" lists the other rules (or mapped peer checks) that fire on the same manifest.');
  return [...summary, '', `<details><summary>All ${cases.length} cases</summary>`, '', ...lines, '', '</details>'];
}

function statsRow(name: string, version: string, s: ProcessStats | string, findings: string): string {
  if (typeof s === 'string') return `| ${name} | ${version} | ${s} | | | | |`;
  return `| ${name} | ${version} | ${ms(s.medianMs)} | ${ms(s.minMs)} | ${ms(s.medianCpuMs)} | ${mib(s.medianRssKiB)} | ${findings} |`;
}

function timingTable(peers: readonly Peer[], runs: number, cli: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-peers-'));
  try {
    const set = writeValidateSet(dir);
    const lines: string[] = [];
    lines.push(`${set.objects.toLocaleString('en-US')} objects in ${set.files.length} files (${(set.bytes / 1048576).toFixed(1)} MiB); one warm-up run each, then ${runs} rounds of one run per tool (round-robin, so all see the same background load); netkit: ${cliMode(cli)}.`);
    lines.push('');
    lines.push('| tool | version | median wall | min wall | CPU (user+sys) | peak RSS | findings |');
    lines.push('|---|---|---|---|---|---|---|');
    const built = peers.filter((p): p is Peer & { bin: string } => p.bin !== undefined);
    const commands = [
      { command: process.execPath, args: [cli, 'validate', dir] },
      ...built.map((p) => ({ command: p.bin, args: p.name === 'kube-score' ? ['score', '--color', 'never', ...set.files] : ['lint', dir] })),
    ];
    const [netkit, ...others] = measureInterleaved(commands, runs);
    lines.push(statsRow('netkit validate', `${packageVersion()} (${gitCommit()})`, netkit, findingsOf(netkit.runs[0].stdout)));
    for (const p of peers) {
      const k = built.indexOf(p as Peer & { bin: string });
      if (k < 0) { lines.push(statsRow(p.name, p.version, 'not built', '')); continue; }
      const s = others[k];
      lines.push(statsRow(`${p.name} ${commands[k + 1].args[0]}`, p.version.replace(/^.*@/, ''), s, peerFindings(p, s.runs[0].stdout)));
    }
    lines.push('');
    lines.push(`Load average after the runs: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores.`);
    return lines;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function peerFindings(p: Peer, stdout: string): string {
  if (p.name === 'kube-score') {
    const count = (tag: string): number => stdout.split('\n').filter((l) => l.includes(`[${tag}]`)).length;
    return `${count('CRITICAL')} critical, ${count('WARNING')} warning lines`;
  }
  const m = /(\d+) lint errors? found/.exec(stdout);
  return m ? `${m[1]} lint errors` : '';
}

/** `go install` errors of build.sh in one line: the candidates tried and why each failed. */
function buildFailure(error: string): string {
  const attempts = error.split(/^go install /m).filter((a) => a.trim() !== '');
  if (attempts.length === 0) return error.trim();
  const byReason = new Map<string, string[]>();
  for (const a of attempts) {
    const candidate = a.split('\n')[0].replace(/:$/, '');
    // The proxy's answer (`reading <url>: 403 Forbidden`), else Go's last line.
    const proxy = /reading (\S+): (.+)$/m.exec(a);
    const lines = a.trim().split('\n');
    const reason = proxy ? `${proxy[2].trim()} from ${new URL(proxy[1]).host}` : lines[lines.length - 1].trim();
    byReason.set(reason, [...(byReason.get(reason) ?? []), `\`${candidate}\``]);
  }
  return [...byReason].map(([reason, candidates]) => `${candidates.join(', ')}: ${reason}`).join('; ');
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown commit';
}

function goVersion(): string {
  const r = spawnSync('go', ['version'], { encoding: 'utf8', env: { ...process.env, PATH: `/usr/local/go/bin:${process.env.PATH ?? ''}` } });
  return r.status === 0 ? r.stdout.trim().replace(/^go version /, '') : 'go not found';
}

function main(): void {
  const runs = Number(arg('runs') ?? 5);
  if (!process.argv.includes('--skip-build')) {
    const b = spawnSync('bash', [path.join(__dirname, 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    process.stderr.write(b.stdout);
  }
  const peers = [peer('kube-linter', KUBE_LINTER_MAP), peer('kube-score', KUBE_SCORE_MAP)];
  const out: string[] = [];
  out.push('### netkit, kube-linter and kube-score side by side');
  out.push('');
  out.push(`Reproduce: \`npm run bench:peers\` (builds the peers into ${PEERS_DIR.replace(os.homedir(), '~')} once). ` +
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1073741824)} GiB, Node ${process.version}, ${goVersion()}.`);
  out.push('');
  for (const p of peers) out.push(p.bin ? `- ${p.name}: ${p.version}` : `- ${p.name}: **not built**: ${buildFailure(p.error ?? '')}`);
  out.push(`- peers' options on the corpus: kube-score \`--enable-optional-test ${KUBE_SCORE_OPTIONAL.join(',')}\` (grade critical or warning counts as flagged); kube-linter \`--include ${KUBE_LINTER_INCLUDE.join(',')}\`.`);
  out.push('');
  out.push('#### Run time on 10,000 objects');
  out.push('');
  out.push(...timingTable(peers, runs, path.resolve(arg('cli') ?? path.join(ROOT, 'bin', 'netkit.js'))));
  out.push('');
  out.push('#### The rule corpus');
  out.push('');
  out.push(...corpusTable(peers));
  console.log(out.join('\n'));
}

if (require.main === module) main();
