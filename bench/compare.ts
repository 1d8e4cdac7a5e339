/**
 * Every row of issue 21's table in one run, next to its peer where the issue names one:
 *
 *   npm run bench:compare                 # = ts-node --transpile-only bench/compare.ts
 *   npx ts-node --transpile-only bench/compare.ts [--quick] [--json] [--skip-build] [--only validate,require,...]
 *
 * Rows (bench/README.md, "Side by side"):
 * - engine: full build at Kubernetes' limits + proxy tables, heap, readiness change median/p99
 *   (`bench/engine.ts --json`, with --expose-gc for exact heap figures);
 * - validate: the real CLI (`node bin/netkit.js validate`) on one 100-object file and on 10,000
 *   objects, each round-robin with kube-score on the same files; 100,000 objects alone (sets of
 *   bench/validate-set.ts);
 * - require: `node -e "require('cdk8s-netkit')"` against `require('cdk8s-plus-33')`, whole processes;
 * - synth: 1,000 and 3,000 Deployment + Service pairs (bench/synth-app.js) with our constructs and
 *   with cdk8s-plus-33's, whole processes;
 * - diff (`bench/diff.ts --json`) and reachability (`bench/reach.ts --json`), against their own
 *   issues' goals.
 *
 * Peers: kube-score as `npm run bench:peers` builds it (scripts/peers/build.sh, cached in
 * ~/.cache/netkit-peers); cdk8s-plus-33 from this checkout's devDependencies. The CLI and the
 * package are timed built, as users run them (the bundled CLI, build/cli/netkit.js): build/ when
 * its bundle is current (CI runs `npm run build` first), else `npm run build`'s output in a
 * temporary directory for this run. The CLI's code cache (bin/netkit.js) goes to a temporary
 * directory too: the warm-up run writes it, the timed runs use it; the 100-object row also
 * times runs without it (NODE_DISABLE_COMPILE_CACHE=1: the first run after an install).
 * `--quick` (CI) takes fewer runs and skips nothing; figures are medians either way.
 * Prints a markdown table (figure, goal, peer, ratio, met) with the CPU model and load average;
 * `--json` adds one JSON line with every row.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type ProcessStats, measureInterleaved, measureProcess, median, mib, ms, runProcess } from './measure';
import { writeValidateSet } from './validate-set';

const ROOT = path.join(__dirname, '..');
const PEERS_DIR = process.env.NETKIT_PEERS_DIR ?? path.join(os.homedir(), '.cache', 'netkit-peers');
const QUICK = process.argv.includes('--quick');

/** One line of the table. Figures are numbers so `--json` carries them unformatted. */
interface Row {
  readonly row: string;
  readonly measure: string;
  readonly figure: number | undefined;
  readonly unit: 'ms' | 'µs' | 'MiB' | 'x';
  readonly goal: string;
  readonly peer?: { readonly name: string; readonly figure: number | undefined };
  /** figure / peer figure. */
  readonly ratio?: number;
  readonly met: boolean | undefined;
  readonly note?: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const only = arg('only')?.split(',');
const wanted = (row: string): boolean => only === undefined || only.includes(row);

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch { /* not Linux: fall back to what Node reports */ }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(', ');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * A directory laid out like the installed package (bin/netkit.js, build/lib, build/cli, package.json,
 * node_modules): this checkout when build/ is current, else `npm run build`'s output (the
 * compiled library and the bundled CLI, scripts/build.js --out) in a temporary directory.
 */
function packageRoot(tmp: string): { root: string; how: string } {
  const given = arg('cli-root');
  if (given) return { root: path.resolve(given), how: `given (${given})` };
  const bundle = path.join(ROOT, 'build', 'cli', 'netkit.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestMtime(path.join(ROOT, 'lib'))) return { root: ROOT, how: 'build/ of this checkout' };
  const root = path.join(tmp, 'pkg');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  process.stderr.write('building lib/ into a temporary directory (build/ is missing or older than lib/)...\n');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js'), '--out', path.join(root, 'build')], { stdio: 'inherit', cwd: ROOT });
  fs.copyFileSync(path.join(ROOT, 'bin', 'netkit.js'), path.join(root, 'bin', 'netkit.js'));
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  return { root, how: 'npm run build into a temporary directory (no current build/)' };
}

function kubeScore(): { bin?: string; version: string } {
  if (!process.argv.includes('--skip-build')) {
    const b = spawnSync('bash', [path.join(ROOT, 'scripts', 'peers', 'build.sh'), 'kube-score'], { encoding: 'utf8' });
    process.stderr.write(b.stdout);
  }
  const bin = path.join(PEERS_DIR, 'bin', 'kube-score');
  if (!fs.existsSync(bin)) return { version: 'not built (scripts/peers/build.sh)' };
  let version = 'unknown version';
  try { version = fs.readFileSync(path.join(PEERS_DIR, 'kube-score.version'), 'utf8').trim(); } catch { /* unstamped binary */ }
  return { bin, version };
}

/** Run one of the in-process benchmarks with `--json` and return its last JSON line. */
function benchJson(script: string, args: readonly string[], nodeFlags: readonly string[] = []): Record<string, number> {
  const r = runProcess(process.execPath, [...nodeFlags, '-r', 'ts-node/register/transpile-only', path.join(__dirname, script), ...args, '--json'], { cwd: ROOT });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, number>;
  } catch {
    throw new Error(`${script} ${args.join(' ')} --json printed no JSON line (exit ${r.status}):\n${r.stderr.slice(0, 2000)}`);
  }
}

function ok(stats: ProcessStats, what: string, allowed: readonly number[] = [0]): void {
  const bad = stats.runs.find((r) => !allowed.includes(r.status ?? -1));
  if (bad) throw new Error(`${what} failed (exit ${bad.status}):\n${(bad.stderr || bad.stdout).slice(0, 2000)}`);
}

function engineRows(): Row[] {
  const f = benchJson('engine.ts', [], ['--expose-gc']);
  const scale = `${f.nodes.toLocaleString('en-US')} nodes, ${f.pods.toLocaleString('en-US')} pods, ${f.services.toLocaleString('en-US')} Services`;
  return [
    { row: 'engine', measure: `engine full build + proxy tables (${scale})`, figure: f.fullBuildMs, unit: 'ms', goal: '<= 1,000 ms', met: f.fullBuildMs <= 1000 },
    { row: 'engine', measure: 'engine heap of the built cluster + tables', figure: f.heapMiB, unit: 'MiB', goal: '<= 400 MiB', met: f.heapMiB <= 400 },
    { row: 'engine', measure: 'one readiness change, median', figure: f.readinessMedianUs, unit: 'µs', goal: '(p99 is the goal)', met: undefined },
    { row: 'engine', measure: 'one readiness change, p99', figure: f.readinessP99Us, unit: 'µs', goal: '<= 100 µs', met: f.readinessP99Us <= 100 },
  ];
}

/** netkit validate round-robin with kube-score on the same files. */
function validatePaired(label: string, cli: string, dir: string, files: readonly string[], score: { bin?: string }, runs: number, goalMs: number, goalRatio: number, cold = false): Row[] {
  const commands = [{ command: process.execPath, args: [cli, 'validate', ...files] }];
  if (score.bin) commands.push({ command: score.bin, args: ['score', '--color', 'never', ...files] });
  if (cold) commands.push({ command: 'env', args: ['NODE_DISABLE_COMPILE_CACHE=1', process.execPath, cli, 'validate', ...files] });
  const stats = measureInterleaved(commands, runs);
  const [netkit] = stats;
  const peer = score.bin ? stats[1] : undefined;
  ok(netkit, `netkit validate ${dir}`, [0, 2]);
  const ratio = peer ? netkit.medianMs / peer.medianMs : undefined;
  const rows: Row[] = [];
  if (cold) {
    const c = stats[stats.length - 1];
    ok(c, `netkit validate ${dir} without code cache`, [0, 2]);
    const coldRatio = peer ? c.medianMs / peer.medianMs : undefined;
    rows.push({
      row: 'validate', measure: `netkit validate, ${label}, no code cache (first run; median of ${runs}, CPU ${Math.round(c.medianCpuMs ?? NaN)} ms)`,
      figure: c.medianMs, unit: 'ms', goal: '(the goal is for repeated runs)', peer: { name: 'kube-score', figure: peer?.medianMs }, ratio: coldRatio, met: undefined,
    });
  }
  rows.unshift({
    row: 'validate', measure: `netkit validate, ${label} (median of ${runs}, CPU ${Math.round(netkit.medianCpuMs ?? NaN)} ms)`,
    figure: netkit.medianMs, unit: 'ms', goal: `<= ${goalMs.toLocaleString('en-US')} ms and <= ${goalRatio}x kube-score`,
    peer: { name: 'kube-score', figure: peer?.medianMs }, ratio,
    met: netkit.medianMs <= goalMs && (ratio === undefined ? undefined : ratio <= goalRatio),
  });
  return rows;
}

function validateRows(cli: string, tmp: string, score: { bin?: string }): Row[] {
  const rows: Row[] = [];
  const one = writeValidateSet(path.join(tmp, 'v100'), { apps: 50 });
  rows.push(...validatePaired(`one file of ${one.objects} objects`, cli, one.dir, one.files, score, QUICK ? 7 : 11, 150, 3, true));
  const ten = writeValidateSet(path.join(tmp, 'v10k'), { apps: 5000 });
  rows.push(...validatePaired(`${ten.objects.toLocaleString('en-US')} objects in ${ten.files.length} files`, cli, ten.dir, ten.files, score, QUICK ? 3 : 5, 800, 0.1));
  fs.rmSync(ten.dir, { recursive: true, force: true });
  const big = writeValidateSet(path.join(tmp, 'v100k'), { apps: 50000 });
  const runs = QUICK ? 1 : 3;
  const s = measureProcess(process.execPath, [cli, 'validate', big.dir], runs, QUICK ? 0 : 1);
  ok(s, `netkit validate ${big.dir}`, [0, 2]);
  fs.rmSync(big.dir, { recursive: true, force: true });
  const rssMiB = s.medianRssKiB === undefined ? undefined : s.medianRssKiB / 1024;
  rows.push({
    row: 'validate', measure: `netkit validate, ${big.objects.toLocaleString('en-US')} objects in ${big.files.length} files (median of ${runs}, CPU ${Math.round(s.medianCpuMs ?? NaN)} ms)`,
    figure: s.medianMs, unit: 'ms', goal: '<= 8,000 ms', met: s.medianMs <= 8000,
  });
  rows.push({ row: 'validate', measure: `netkit validate, ${big.objects.toLocaleString('en-US')} objects: peak RSS`, figure: rssMiB, unit: 'MiB', goal: '<= 1,024 MiB', met: rssMiB === undefined ? undefined : rssMiB <= 1024 });
  return rows;
}

function requireRow(pkgRoot: string): Row {
  const runs = QUICK ? 7 : 15;
  const ours = path.join(pkgRoot, 'build', 'lib', 'index.js');
  const plus = require.resolve('cdk8s-plus-33', { paths: [ROOT] });
  const [a, b] = measureInterleaved([
    { command: process.execPath, args: ['-e', `require(${JSON.stringify(ours)})`] },
    { command: process.execPath, args: ['-e', `require(${JSON.stringify(plus)})`] },
  ], runs);
  ok(a, 'require(cdk8s-netkit)');
  ok(b, 'require(cdk8s-plus-33)');
  const ratio = a.medianMs / b.medianMs;
  return {
    row: 'require', measure: `node -e "require('cdk8s-netkit')" (whole process, median of ${runs}, CPU ${Math.round(a.medianCpuMs ?? NaN)} vs ${Math.round(b.medianCpuMs ?? NaN)} ms)`,
    figure: a.medianMs, unit: 'ms', goal: '<= 1x cdk8s-plus-33', peer: { name: 'require(cdk8s-plus-33)', figure: b.medianMs }, ratio, met: ratio <= 1,
  };
}

function synthRows(pkgRoot: string, tmp: string): Row[] {
  const app = path.join(__dirname, 'synth-app.js');
  const ours = path.join(pkgRoot, 'build', 'lib', 'index.js');
  const plus = require.resolve('cdk8s-plus-33', { paths: [ROOT] });
  return [1000, 3000].map((pairs) => {
    const runs = QUICK ? 3 : 5;
    const [a, b] = measureInterleaved([
      { command: process.execPath, args: [app, 'netkit', ours, String(pairs), path.join(tmp, `synth-netkit-${pairs}`)] },
      { command: process.execPath, args: [app, 'plus', plus, String(pairs), path.join(tmp, `synth-plus-${pairs}`)] },
    ], runs);
    ok(a, `synth ${pairs} pairs with cdk8s-netkit`);
    ok(b, `synth ${pairs} pairs with cdk8s-plus-33`);
    const ratio = a.medianMs / b.medianMs;
    return {
      row: 'synth', measure: `synth ${pairs.toLocaleString('en-US')} Deployment + Service pairs (whole process, median of ${runs}, CPU ${Math.round(a.medianCpuMs ?? NaN)} vs ${Math.round(b.medianCpuMs ?? NaN)} ms)`,
      figure: a.medianMs, unit: 'ms', goal: '<= 0.9x cdk8s-plus-33', peer: { name: 'cdk8s-plus-33', figure: b.medianMs }, ratio, met: ratio <= 0.9,
    };
  });
}

/**
 * The diff of two 10,000-object sets in process (bench/diff.ts, a fresh process per run: each
 * run is a first, cold diff; the median of 3, or 5 without --quick), then the same sets diffed
 * end to end by the built CLI from YAML files (reading both sides included; informational).
 */
function diffRows(cli: string, tmp: string): Row[] {
  const runs = Array.from({ length: QUICK ? 3 : 5 }, () => benchJson('diff.ts', []));
  const f = runs[0];
  const wall = runs.map((r) => r.diffMs).sort((a, b) => a - b);
  const dir = path.join(tmp, 'diff-sets');
  execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'diff.ts'), '--write', dir], { cwd: ROOT });
  const e2e = measureProcess(process.execPath, [cli, 'diff', path.join(dir, 'before'), path.join(dir, 'after')], QUICK ? 3 : 5, 1, { cwd: ROOT });
  ok(e2e, 'netkit diff', [1]);
  return [
    {
      row: 'diff', measure: `netkit diff, ${f.objectsBefore.toLocaleString('en-US')} -> ${f.objectsAfter.toLocaleString('en-US')} objects (in process, median of ${runs.length} fresh processes: ${wall.map((w) => Math.round(w).toLocaleString('en-US')).join(' / ')} ms; CPU ${Math.round(median(runs.map((r) => r.diffCpuMs)))} ms; ${f.witnesses} witness requests, ${f.changes} changes)`,
      figure: median(wall), unit: 'ms', goal: '<= 3,000 ms (issue 20)', met: median(wall) <= 3000,
    },
    {
      row: 'diff', measure: `the same, end to end: \`netkit diff before/ after/\` on two ${mib(fs.statSync(path.join(dir, 'before', 'all.yaml')).size / 1024)} YAML files (reading both sides included; median of ${e2e.runs.length}, CPU ${ms(e2e.medianCpuMs)})`,
      figure: e2e.medianMs, unit: 'ms', goal: '(the goal is the diff itself)', met: undefined,
    },
  ];
}

function reachRows(): Row[] {
  const f = benchJson('reach.ts', ['--runs', QUICK ? '3' : '5']);
  return [
    { row: 'reach', measure: `reachability matrix, ${f.workloads.toLocaleString('en-US')} workloads x ${f.policies.toLocaleString('en-US')} NetworkPolicies (median, CPU ${Math.round(f.matrixCpuMedianMs)} ms)`, figure: f.matrixMedianMs, unit: 'ms', goal: '<= 2,000 ms (issue 18)', met: f.matrixMedianMs <= 2000 },
    { row: 'reach', measure: 'one policy verdict, explained (mean)', figure: f.verdictUs, unit: 'µs', goal: '<= 50 µs (issue 18)', met: f.verdictUs <= 50 },
  ];
}

function fmt(n: number | undefined, unit: Row['unit']): string {
  if (n === undefined || Number.isNaN(n)) return 'n/a';
  const digits = unit === 'µs' && n < 100 ? 1 : 0;
  return `${n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`;
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-compare-'));
  // The CLI's code cache (bin/netkit.js) for this run only: not the user's, not a previous run's.
  process.env.NODE_COMPILE_CACHE = path.join(tmp, 'compile-cache');
  delete process.env.NODE_DISABLE_COMPILE_CACHE;
  const rows: Row[] = [];
  const failures: string[] = [];
  const loadBefore = load();
  let how = '';
  const score = wanted('validate') ? kubeScore() : { version: 'not used' };
  try {
    const step = (name: string, f: () => Row | Row[]): void => {
      if (!wanted(name)) return;
      process.stderr.write(`bench:compare: ${name}...\n`);
      try {
        const r = f();
        rows.push(...(Array.isArray(r) ? r : [r]));
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    };
    let pkg = ROOT;
    if (['validate', 'require', 'synth', 'diff'].some(wanted)) {
      const p = packageRoot(tmp);
      pkg = p.root;
      how = p.how;
    }
    step('engine', engineRows);
    step('validate', () => validateRows(path.join(pkg, 'bin', 'netkit.js'), tmp, score));
    step('require', () => requireRow(pkg));
    step('synth', () => synthRows(pkg, tmp));
    step('diff', () => diffRows(path.join(pkg, 'bin', 'netkit.js'), tmp));
    step('reach', reachRows);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const out: string[] = [];
  out.push(`### Issue 21 side by side (${QUICK ? 'quick' : 'full'} run)`);
  out.push('');
  out.push(`CPU: ${cpuModel()} (${os.cpus().length} cores), Node ${process.version}; load average ${loadBefore} before, ${load()} after. ` +
    `netkit: ${how || 'n/a'}; kube-score: ${score.version}. Wall times of whole processes unless the row says otherwise; peers ran round-robin with netkit.`);
  out.push('');
  out.push('| measure | netkit | goal | peer | peer figure | ratio | met |');
  out.push('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(`| ${r.measure} | ${fmt(r.figure, r.unit)} | ${r.goal} | ${r.peer?.name ?? ''} | ${r.peer ? fmt(r.peer.figure, r.unit) : ''} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x`} | ${r.met === undefined ? '' : r.met ? 'met' : '**not met**'} |`);
  }
  for (const f of failures) out.push(`\nFAILED ${f}`);
  console.log(out.join('\n'));
  if (process.argv.includes('--json')) console.log(JSON.stringify({ cpu: cpuModel(), loadBefore, loadAfter: load(), quick: QUICK, rows, failures }));
  // A goal not met is a finding to read, not a CI failure; a row that could not run is.
  if (failures.length > 0) process.exitCode = 1;
}

if (require.main === module) main();
