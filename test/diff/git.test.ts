/**
 * A git revision as the before side (`REV:path`, no second checkout), and the CI recipe of
 * docs/diff.md run end to end on a scratch repository: its workflow steps are executed as
 * written, with `gh` (the post step) replaced by a script that writes the comment file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../lib/cli/main';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = readFileSync(join(ROOT, 'test', 'cli', 'fixtures', 'shop', 'app.yaml'), 'utf8');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=netkit', '-c', 'user.email=netkit@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/**
 * A repository with two commits of dist/app.yaml: the fixture, then 2 replicas instead of 3.
 * `app`: also a cdk8s app (cdk8s.yaml) whose synth writes that manifest.
 */
function scratchRepo(app = false): string {
  const repo = mkdtempSync(join(tmpdir(), 'netkit-git-'));
  git(repo, 'init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'dist'));
  writeFileSync(join(repo, 'dist', 'app.yaml'), FIXTURE);
  if (app) {
    writeFileSync(join(repo, 'cdk8s.yaml'), 'app: node synth.js\nlanguage: typescript\n');
    writeFileSync(join(repo, 'synth.js'), "const fs = require('fs');\nfs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });\nfs.copyFileSync('dist/app.yaml', `${process.env.CDK8S_OUTDIR}/app.k8s.yaml`);\n");
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  }
  git(repo, 'add', '.'); git(repo, 'commit', '-qm', 'base');
  writeFileSync(join(repo, 'dist', 'app.yaml'), FIXTURE.replace('replicas: 3', 'replicas: 2'));
  git(repo, 'commit', '-qam', 'head');
  return repo;
}

async function cliIn(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    let out = ''; let err = '';
    const code = await runCli(args, { stdout: { write: (t: string) => { out += t; } }, stderr: { write: (t: string) => { err += t; } } });
    return { code, out, err };
  } finally {
    process.chdir(before);
  }
}

describe('a git revision as a side', () => {
  const repo = scratchRepo();

  test('HEAD~1:dist against the working tree: the replica change, read without a checkout', async () => {
    const r = await cliIn(repo, 'diff', 'HEAD~1:dist', 'dist');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('endpoints Service shop/web: ready endpoints from Deployment web: 3 -> 2');
    // The working tree was not touched (no checkout of HEAD~1).
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('both sides from git; the same revision twice is no change; sources name the revision', async () => {
    expect((await cliIn(repo, 'diff', 'HEAD:dist', 'main:dist')).code).toBe(0);
    const r = await cliIn(repo, 'diff', 'HEAD~1:dist', 'HEAD:dist', '-o', 'json');
    expect(r.code).toBe(1);
    writeFileSync(join(repo, 'bad.yaml'), 'kind: [\n');
    git(repo, 'add', 'bad.yaml'); git(repo, 'commit', '-qm', 'bad');
    const bad = await cliIn(repo, 'diff', 'HEAD:bad.yaml', 'dist');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: HEAD:bad\.yaml:\d+/);
  });

  test('an unknown revision or an empty path is a clear error, exit 2', async () => {
    const r = await cliIn(repo, 'diff', 'nosuchbranch:dist', 'dist');
    expect(r).toEqual({ code: 2, out: '', err: `error: nosuchbranch:dist: nosuchbranch is not a commit in the git repository at ${repo} (fix: a branch, tag or commit, e.g. HEAD~1:dist or origin/main:dist)\n` });
    const e = await cliIn(repo, 'diff', 'HEAD:nothing-here', 'dist');
    expect(e.code).toBe(2);
    expect(e.err).toContain('no manifest files (.yaml, .yml, .json) at that path in HEAD');
  });
});

describe('the CI recipe in docs/diff.md', () => {
  test('synthesizes base and head, runs netkit diff -o markdown and posts the comment, on a scratch repository', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'diff.md'), 'utf8');
    const workflow = /```yaml\n(# \.github\/workflows\/netkit-diff\.yaml[\s\S]*?)```/.exec(doc)?.[1];
    expect(workflow).toBeDefined();
    const steps = (parse(workflow as string) as { jobs: Record<string, { steps: { run?: string; uses?: string }[] }> }).jobs.diff.steps;
    const runs = steps.filter((s) => s.run !== undefined).map((s) => s.run as string);
    // `npm ci` installs the app's dependencies; the scratch app has none, the tools are linked below.
    expect(runs[0]).toBe('npm ci\n');

    // A cdk8s app whose synth writes the manifest it carries; the head commit changes the replicas.
    const repo = scratchRepo(true);
    const baseSha = git(repo, 'rev-parse', 'HEAD~1').trim();

    // Tools: cdk8s and netkit from this checkout; gh is the stand-in that writes the comment.
    const bin = join(repo, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', '.bin', 'cdk8s'), join(bin, 'cdk8s'));
    symlinkSync(join(ROOT, 'bin', 'netkit.js'), join(bin, 'netkit'));
    const fake = mkdtempSync(join(tmpdir(), 'netkit-gh-'));
    const posted = join(fake, 'posted.md');
    writeFileSync(join(fake, 'gh'), `#!/bin/sh\n# gh pr comment <n> --body-file <file>: keep what would be posted\n[ "$1 $2" = "pr comment" ] && [ "$4" = "--body-file" ] && cp "$5" ${JSON.stringify(posted)} && echo "$3" > ${JSON.stringify(`${posted}.pr`)}\n`);
    chmodSync(join(fake, 'gh'), 0o755);
    const runnerTemp = mkdtempSync(join(tmpdir(), 'netkit-runner-'));
    const env = { ...process.env, PATH: `${fake}:${process.env.PATH}`, RUNNER_TEMP: runnerTemp, BASE_SHA: baseSha, PR: '42', GH_TOKEN: 'unused' };
    for (const script of runs.slice(1)) {
      const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd: repo, env, encoding: 'utf8' });
      expect({ script, status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ script, status: 0, stderr: '' });
    }
    const comment = readFileSync(posted, 'utf8');
    expect(readFileSync(`${posted}.pr`, 'utf8')).toBe('42\n');
    expect(comment.split('\n')[0]).toMatch(/^\*\*netkit diff: 2 behaviour changes in 1 namespace, 0 witness requests\*\*$/);
    expect(comment).toContain('<details><summary>namespace shop (2)</summary>');
    expect(comment).toContain('ready endpoints from Deployment web: 3 -&#62; 2');
  }, 120_000);
});
