/**
 * Child process of `harness.ts`: runs the jobs it is sent one at a time, in-process, and reports
 * each result (exit code, output, time, memory) over IPC.
 */
import { runCli } from '../../lib/cli/main';
import { fuzzCases } from './fuzz-pipeline';
import type { Job, JobResult } from './harness';

/** Output kept per stream: enough for every assertion, bounded for IPC. */
const MAX_KEPT = 256 * 1024;

function sink(): { write(text: string): boolean; text(): string } {
  let out = '';
  return {
    write(text: string) {
      if (out.length < MAX_KEPT) out += text.slice(0, MAX_KEPT - out.length);
      return true;
    },
    text: () => out,
  };
}

async function run(job: Job): Promise<JobResult> {
  const start = Date.now();
  const mem = (): { rss: number; maxRss: number } => ({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 });
  if (job.type === 'fuzz') {
    const fuzz = fuzzCases(job.seed, job.count);
    return { id: job.id, outcome: 'done', ms: Date.now() - start, fuzz, ...mem() };
  }
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(job.argv, { stdout, stderr });
  return { id: job.id, outcome: 'done', code, stdout: stdout.text(), stderr: stderr.text(), ms: Date.now() - start, ...mem() };
}

process.on('message', (m: { job: Job }) => {
  run(m.job).then(
    (result) => process.send?.({ result }),
    (e: unknown) => process.send?.({ result: { id: m.job.id, outcome: 'done', code: -1, stdout: '', stderr: `worker: job threw: ${(e as Error)?.stack ?? String(e)}`, ms: 0 } }),
  );
});
process.send?.({ ready: true });
