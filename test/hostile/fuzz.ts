/**
 * `npm run fuzz`: the bad-input corpus through every command, then 100,000 generated cases
 * (`--cases N`, `--seed S`) through the whole pipeline, each batch in a child process with a
 * timeout and a 2 GiB heap cap. Prints the case count, hangs, crashes, internal errors, failures
 * by kind, the slowest case and peak memory; exit 1 when anything failed.
 *
 *   npm run fuzz -- --cases 100000 --seed 1
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { VALID, writeCorpus } from './corpus';
import { COMMANDS, MAX_RSS, corpusJobs, problemsOf, type CommandName } from './check';
import { type Job, type JobResult, runJobs } from './harness';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<number> {
  const total = arg('--cases', 100_000);
  const seed = arg('--seed', Date.now() % 1_000_000);
  const batch = 1000;
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-fuzz-'));
  const server = net.createServer();
  let failed = false;
  try {
    const cases = writeCorpus(dir);
    const sockDir = path.join(dir, 'socket-in-dir');
    fs.mkdirSync(sockDir);
    fs.writeFileSync(path.join(sockDir, 'ok.yaml'), VALID);
    await new Promise<void>((resolve) => server.listen(path.join(sockDir, 's.yaml'), resolve));
    cases.push({ id: 'socket-in-dir', paths: [sockDir], expect: { kind: 'input-error', mentions: ['s.yaml', 'socket'] } });

    // 1. The corpus (`--no-corpus` skips it).
    const jobs = process.argv.includes('--no-corpus') ? [] : corpusJobs(cases);
    process.stderr.write(`corpus: ${cases.length} cases x ${COMMANDS.length} commands = ${jobs.length} runs\n`);
    const corpusResults = await runJobs(jobs, { timeoutMs: 60_000 });
    const byId = new Map(cases.map((c) => [c.id, c]));
    const problems: string[] = [];
    let slowest: JobResult | undefined;
    let peak = 0;
    for (const r of corpusResults) {
      const [caseId, command] = r.id.split('/') as [string, CommandName];
      problems.push(...problemsOf(byId.get(caseId)!, command, r));
      if (!slowest || r.ms > slowest.ms) slowest = r;
      peak = Math.max(peak, r.maxRss ?? 0);
    }
    const count = (o: string) => corpusResults.filter((r) => r.outcome === o).length;
    const internal = problems.filter((p) => /internal error|stack|JS error|crashed|overflow/.test(p)).length;
    process.stdout.write(`corpus: ${corpusResults.length} runs, ${count('hang')} hangs past 60 s, ${count('crash')} crashes, ${internal} internal errors/stack traces, ` +
      `${problems.length} problems, peak RSS ${Math.round(peak / 2 ** 20)} MiB, slowest ${slowest?.id} ${slowest?.ms} ms\n`);
    for (const p of problems.slice(0, 50)) process.stdout.write(`  ${p}\n`);
    if (problems.length > 0) failed = true;

    // 2. Generated cases, in batches.
    const fuzzJobs: Job[] = [];
    for (let i = 0; i * batch < total; i++) fuzzJobs.push({ type: 'fuzz', id: `fuzz-${i}`, seed: seed + i, count: Math.min(batch, total - i * batch) });
    let cases2 = 0;
    const kinds = new Map<string, { count: number; message: string; input: string }>();
    let slow = { ms: 0, input: '', batch: '' };
    let fuzzPeak = 0;
    const hangs: string[] = [];
    const fuzzResults = await runJobs(fuzzJobs, {
      timeoutMs: 15 * 60_000,
      onResult: (r) => {
        if (r.outcome !== 'done' || !r.fuzz) { hangs.push(`${r.id}: ${r.outcome} ${r.detail ?? ''}`); return; }
        cases2 += r.fuzz.cases;
        fuzzPeak = Math.max(fuzzPeak, r.maxRss ?? 0);
        for (const f of r.fuzz.failures) {
          if (!kinds.has(f.kind)) process.stderr.write(`new failure kind in ${r.id}: ${f.kind}: ${f.message}\n  input: ${JSON.stringify(f.input.slice(0, 1500))}\n`);
          const k = kinds.get(f.kind) ?? { count: 0, message: f.message, input: f.input };
          k.count++;
          kinds.set(f.kind, k);
        }
        if (r.fuzz.slowest.ms > slow.ms) slow = { ...r.fuzz.slowest, batch: r.id };
        if (cases2 % 10_000 === 0) process.stderr.write(`fuzz: ${cases2} cases, ${[...kinds.values()].reduce((s, k) => s + k.count, 0)} failures, ${Math.round((Date.now() - started) / 1000)} s\n`);
      },
    });
    const failures = [...kinds.values()].reduce((s, k) => s + k.count, 0);
    process.stdout.write(`fuzz: ${cases2} cases (seed ${seed}, ${fuzzResults.length} batches), ${hangs.length} batch hangs/crashes, ${failures} failures, ` +
      `peak RSS ${Math.round(fuzzPeak / 2 ** 20)} MiB${fuzzPeak > MAX_RSS ? ' (over 2 GiB)' : ''}, slowest case ${slow.ms.toFixed(0)} ms (${slow.batch})\n`);
    for (const h of hangs) process.stdout.write(`  ${h}\n`);
    for (const [kind, k] of [...kinds].sort((a, b) => b[1].count - a[1].count)) {
      process.stdout.write(`  ${k.count} x ${kind}: ${k.message}\n    input: ${JSON.stringify(k.input.slice(0, 600))}\n`);
    }
    process.stdout.write(`slowest case input: ${JSON.stringify(slow.input.slice(0, 800))}\n`);
    process.stdout.write(`total ${Math.round((Date.now() - started) / 1000)} s\n`);
    if (failures > 0 || hangs.length > 0 || fuzzPeak > MAX_RSS) failed = true;
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => { process.stderr.write(`fuzz: ${(e as Error).stack}\n`); process.exitCode = 1; });
