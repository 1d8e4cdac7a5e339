/**
 * Time whole processes: wall time around `spawnSync`; peak RSS and CPU time (user + system) from
 * GNU time (`/usr/bin/time -f '%M %U %S'`, the child's rusage) when it is installed. CPU time
 * varies less than wall time on a shared machine. Used by bench/validate.ts and the peer
 * comparison so every tool is measured the same way.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const GNU_TIME = '/usr/bin/time';

/** One run of a command. */
export interface ProcessRun {
  readonly wallMs: number;
  /** Peak resident set size in KiB; undefined without GNU time. */
  readonly maxRssKiB?: number;
  /** User + system CPU time in ms (10 ms resolution); undefined without GNU time. */
  readonly cpuMs?: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Several runs of one command. */
export interface ProcessStats {
  readonly runs: readonly ProcessRun[];
  readonly medianMs: number;
  readonly minMs: number;
  /** Median peak RSS in KiB. */
  readonly medianRssKiB?: number;
  /** Median CPU time (user + system) in ms. */
  readonly medianCpuMs?: number;
}

let hasGnuTime: boolean | undefined;

function gnuTimeAvailable(): boolean {
  hasGnuTime ??= spawnSync(GNU_TIME, ['-f', '%M %U %S', 'true'], { encoding: 'utf8' }).status === 0;
  return hasGnuTime;
}

/** Run `command args` once, capturing its output (up to 512 MiB). */
export function runProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ProcessRun {
  const timed = gnuTimeAvailable();
  const rssFile = path.join(os.tmpdir(), `netkit-bench-rss-${process.pid}`);
  const [cmd, argv] = timed ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, [...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  let maxRssKiB: number | undefined;
  let cpuMs: number | undefined;
  if (timed) {
    try {
      // GNU time writes "Command exited with non-zero status N" before the figures on failures.
      const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
      const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number);
      maxRssKiB = rss;
      cpuMs = (user + sys) * 1000;
      fs.rmSync(rssFile, { force: true });
    } catch {
      maxRssKiB = undefined;
    }
  }
  if (r.error) throw r.error;
  return { wallMs, maxRssKiB, cpuMs, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `runs` runs after `warmup` unmeasured ones (page cache, JIT code cache). */
export function measureProcess(command: string, args: readonly string[], runs: number, warmup = 1, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ProcessStats {
  for (let i = 0; i < warmup; i++) runProcess(command, args, options);
  const out: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) out.push(runProcess(command, args, options));
  return statsOf(out);
}

/**
 * Several commands measured round-robin (one warm-up each, then run 1 of every command, run 2,
 * ...), so that on a shared machine each sees the same background load.
 */
export function measureInterleaved(commands: readonly { readonly command: string; readonly args: readonly string[] }[], runs: number): ProcessStats[] {
  for (const c of commands) runProcess(c.command, c.args);
  const out: ProcessRun[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) commands.forEach((c, k) => out[k].push(runProcess(c.command, c.args)));
  return out.map(statsOf);
}

function statsOf(out: readonly ProcessRun[]): ProcessStats {
  const rss = out.map((r) => r.maxRssKiB).filter((v): v is number => v !== undefined);
  const cpu = out.map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
  return {
    runs: out,
    medianMs: median(out.map((r) => r.wallMs)),
    minMs: Math.min(...out.map((r) => r.wallMs)),
    medianRssKiB: rss.length > 0 ? median(rss) : undefined,
    medianCpuMs: cpu.length > 0 ? median(cpu) : undefined,
  };
}

/** `1,234 ms`, or `n/a`. */
export function ms(n: number | undefined): string {
  if (n === undefined) return 'n/a';
  return `${Math.round(n).toLocaleString('en-US')} ms`;
}

/** `123 MiB` from KiB, or `n/a`. */
export function mib(kib: number | undefined): string {
  return kib === undefined ? 'n/a' : `${Math.round(kib / 1024)} MiB`;
}
