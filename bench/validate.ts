/**
 * `netkit validate` on 10,000 objects, as a user runs it: the real CLI process
 * (`node bin/netkit.js validate <dir>`), started N times, on the set of bench/validate-set.ts.
 *
 *   npx ts-node --transpile-only bench/validate.ts [--runs 7] [--apps 5000] [--cli bin/netkit.js] [--keep]
 *
 * Prints median and min wall time of the whole process, its CPU time (user + system: steadier
 * than wall time on a shared machine), peak RSS and the findings count.
 * bin/netkit.js runs the bundled CLI (build/cli/netkit.js, `npm run build`) when it exists, else
 * the compiled modules (build/lib), else the sources through ts-node; the bench says which, and
 * warns when build/ is older than lib/ (run `npm run build`).
 * The issue's goal: under 2 s wall on 10,000 objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measureProcess, mib, ms } from './measure';
import { writeValidateSet } from './validate-set';

const ROOT = path.join(__dirname, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (entry.name.endsWith(ext)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** How bin/netkit.js will load the CLI, and whether that build is current. */
export function cliMode(cli: string): string {
  const bundle = path.join(path.dirname(cli), '..', 'build', 'cli', 'netkit.js');
  const compiled = path.join(path.dirname(cli), '..', 'build', 'lib', 'cli', 'main.js');
  const used = fs.existsSync(bundle) ? bundle : compiled;
  if (!fs.existsSync(used)) return 'sources through ts-node (no build/; run `npm run build` for the real figure)';
  const stale = fs.statSync(used).mtimeMs < newestMtime(path.join(ROOT, 'lib'), '.ts');
  return `${used === bundle ? 'bundled build/cli/netkit.js' : 'compiled build/lib (no bundle: `npm run build` makes it)'}${stale ? ' (WARNING: older than lib/*.ts; run `npm run build`)' : ''}`;
}

/** `12 errors, 3 warnings, 0 info` from the text report's last line. */
export function findingsOf(stdout: string): string {
  const m = /: (\d+) errors, (\d+) warnings, (\d+) info/.exec(stdout);
  return m ? `${m[1]} errors, ${m[2]} warnings, ${m[3]} info` : 'unknown (no summary line)';
}

function main(): void {
  const runs = Number(arg('runs') ?? 7);
  const apps = Number(arg('apps') ?? 5000);
  const cli = path.resolve(arg('cli') ?? path.join(ROOT, 'bin', 'netkit.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-bench-validate-'));
  try {
    const set = writeValidateSet(dir, { apps });
    console.log(`netkit validate: ${set.objects.toLocaleString('en-US')} objects in ${set.files.length} files (${(set.bytes / 1048576).toFixed(1)} MiB of YAML)`);
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, ${os.platform()}`);
    console.log(`CLI: ${path.relative(process.cwd(), cli) || cli}, ${cliMode(cli)}`);
    const stats = measureProcess(process.execPath, [cli, 'validate', dir], runs);
    const last = stats.runs[stats.runs.length - 1];
    if (last.status !== 0 && last.status !== 2) {
      console.error(`netkit validate failed (exit ${last.status}):\n${last.stderr.slice(0, 2000)}`);
      process.exitCode = 1;
      return;
    }
    console.log('');
    console.log('| runs | median wall | min wall | CPU (median) | peak RSS (median) | exit | findings |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(`| ${runs} | ${ms(stats.medianMs)} | ${ms(stats.minMs)} | ${ms(stats.medianCpuMs)} | ${mib(stats.medianRssKiB)} | ${last.status} | ${findingsOf(last.stdout)} |`);
    console.log('');
    console.log(`goal: under 2,000 ms wall -> ${stats.medianMs < 2000 ? 'met' : 'NOT met'} (median)`);
    console.log(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(1)).join(', ')} (on ${os.cpus().length} cores; above that, other jobs inflate wall time)`);
    if (process.argv.includes('--keep')) console.log(`set kept in ${dir}`);
  } finally {
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
