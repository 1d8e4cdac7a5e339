/**
 * Runs jobs (a CLI command line, or a fuzz case) in a child process with a per-job timeout and
 * a heap cap, so a hang, a crash or a memory explosion is seen as such instead of taking the
 * test runner down. The child (`worker.ts`) runs each job in-process (`runCli`, or the fuzz
 * pipeline) and reports its exit code, output, time and memory over IPC; the parent kills it when
 * a job overruns, records the job as a hang, and starts a new child for the remaining jobs.
 */
import { fork, type ChildProcess } from 'child_process';
import * as path from 'path';

/** One CLI run. */
export interface CliJob {
  readonly type: 'cli';
  readonly id: string;
  readonly argv: readonly string[];
}

/** A batch of fuzz cases (seed and count: the child generates them, see `fuzz-pipeline.ts`). */
export interface FuzzJob {
  readonly type: 'fuzz';
  readonly id: string;
  readonly seed: number;
  readonly count: number;
}

export type Job = CliJob | FuzzJob;

/** What happened to one job. */
export interface JobResult {
  readonly id: string;
  readonly outcome: 'done' | 'hang' | 'crash';
  readonly code?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly ms: number;
  /** Resident set size of the child after the job, and its peak so far (bytes). */
  readonly rss?: number;
  readonly maxRss?: number;
  /** Fuzz jobs: the batch's report. */
  readonly fuzz?: FuzzBatchReport;
  /** Crash: how the child ended. */
  readonly detail?: string;
}

/** A fuzz batch's findings. */
export interface FuzzBatchReport {
  readonly cases: number;
  readonly failures: readonly { readonly kind: string; readonly message: string; readonly input: string }[];
  readonly slowest: { readonly ms: number; readonly input: string };
}

/** Options of {@link runJobs}. */
export interface RunOptions {
  /** Per-job timeout. @default 60000 */
  readonly timeoutMs?: number;
  /** V8 heap cap of the child in MiB: past it the child dies (reported as a crash). @default 2048 */
  readonly maxHeapMiB?: number;
  /** Called after each job (progress). */
  readonly onResult?: (r: JobResult) => void;
}

const WORKER = path.join(__dirname, 'worker.ts');

function startWorker(maxHeapMiB: number): ChildProcess {
  return fork(WORKER, [], {
    execArgv: [`--max-old-space-size=${maxHeapMiB}`, '--stack-size=984', '-r', require.resolve('ts-node/register/transpile-only')],
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '../../tsconfig.dev.json'), NETKIT_HOSTILE_WORKER: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
}

/** Run `jobs` in order in child processes; resolves with one result per job. */
export async function runJobs(jobs: readonly Job[], options: RunOptions = {}): Promise<JobResult[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const results: JobResult[] = [];
  let next = 0;
  while (next < jobs.length) {
    next = await new Promise<number>((resolve) => {
      const child = startWorker(options.maxHeapMiB ?? 2048);
      let current = next;
      let started = 0;
      let timer: NodeJS.Timeout | undefined;
      let stderr = '';
      let finished = false;
      const finish = (n: number): void => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        resolve(n);
      };
      const record = (r: JobResult): void => {
        results.push(r);
        options.onResult?.(r);
      };
      const send = (): void => {
        if (current >= jobs.length) { child.kill(); finish(current); return; }
        started = Date.now();
        child.send({ job: jobs[current] });
        timer = setTimeout(() => {
          record({ id: jobs[current].id, outcome: 'hang', ms: Date.now() - started });
          child.kill('SIGKILL');
          finish(current + 1);
        }, timeoutMs);
      };
      child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
      child.on('message', (m: { ready?: boolean; result?: JobResult }) => {
        if (m.ready) { send(); return; }
        if (m.result) {
          if (timer) clearTimeout(timer);
          record(m.result);
          current++;
          send();
        }
      });
      child.on('exit', (code, signal) => {
        if (finished) return;
        // Died in the middle of a job: out of memory, a native crash, or an uncaught error.
        if (current < jobs.length) record({ id: jobs[current].id, outcome: 'crash', ms: started ? Date.now() - started : 0, detail: `exit ${code ?? ''}${signal ?? ''}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` });
        finish(current + 1);
      });
    });
  }
  return results;
}

/** Control characters that must never reach a terminal (a line break is allowed). */
// eslint-disable-next-line no-control-regex
export const UNSAFE_OUTPUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Signs of an internal error or a stack trace in output. */
export function internalErrorIn(text: string): string | undefined {
  if (/internal error/i.test(text)) return 'internal error';
  if (/crashed:/.test(text)) return 'rule crashed';
  if (/^\s+at .+[(\s].*:\d+:\d+\)?$/m.test(text)) return 'stack trace';
  if (/\b(TypeError|RangeError|ReferenceError|SyntaxError): /.test(text) && !/invalid JSON/.test(text)) return 'JS error message';
  if (/Maximum call stack/i.test(text)) return 'stack overflow';
  return undefined;
}
