/**
 * The bad-input corpus through every command, each run in a child process with a timeout and a
 * heap cap (see harness.ts): no hang, no crash, no internal error or stack trace, the exit code
 * the contract gives, the file (and line) named, nothing forged or unescaped in the output.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { writeCorpus, type CorpusCase, VALID } from './corpus';
import { COMMANDS, corpusJobs, problemsOf, type CommandName } from './check';
import { runJobs } from './harness';

jest.setTimeout(30 * 60 * 1000);

describe('bad-input corpus', () => {
  let dir: string;
  let server: net.Server | undefined;
  let cases: CorpusCase[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netkit-corpus-'));
    cases = writeCorpus(dir);
    // A socket named like a manifest, next to a valid file: it exists only while listened on.
    const sockDir = path.join(dir, 'socket-in-dir');
    fs.mkdirSync(sockDir);
    fs.writeFileSync(path.join(sockDir, 'ok.yaml'), VALID);
    server = net.createServer();
    await new Promise<void>((resolve) => server?.listen(path.join(sockDir, 's.yaml'), resolve));
    cases.push({ id: 'socket-in-dir', paths: [sockDir], expect: { kind: 'input-error', mentions: ['s.yaml', 'socket'] } });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('has at least 60 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  test('every command on every case: no hang, crash, internal error or forged output; the contract\'s exit codes and locations', async () => {
    // The heavy cases (130,000 objects) go through two commands here, all of them in `npm run fuzz`.
    const jobs = corpusJobs(cases, COMMANDS, ['validate', 'routes']);
    const results = await runJobs(jobs, { timeoutMs: 60_000 });
    const problems: string[] = [];
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const r of results) {
      const [caseId, command] = r.id.split('/') as [string, CommandName];
      problems.push(...problemsOf(byId.get(caseId) as CorpusCase, command, r));
    }
    expect(results).toHaveLength(jobs.length);
    expect(problems).toEqual([]);
  });
});
