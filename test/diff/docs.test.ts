/**
 * docs/diff.md runs as written: every `sh` block is executed line by line (in a scratch directory
 * that sees this checkout's test/ fixtures, so the files the lines write never land in the checkout;
 * in the checkout for blocks that run `npm run synth`, which writes the ignored dist/; or for the git-revision block in a scratch repository that commits dist/), each line's exit code
 * is the one its comment states (else 0 or 1, since 1 means "different"), and a plain code block
 * right after a `sh` block is exactly what its last command prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'diff.md'), 'utf8');

/** `sh` blocks, each with the plain block that follows it directly (its output), if any. */
function shBlocks(): { script: string; output?: string }[] {
  const fences = [...DOC.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2], end: (m.index ?? 0) + m[0].length, start: m.index ?? 0 }));
  const out: { script: string; output?: string }[] = [];
  fences.forEach((f, i) => {
    if (f.lang !== 'sh') return;
    const next = fences[i + 1];
    const between = next ? DOC.slice(f.end, next.start) : '';
    out.push({ script: f.body, ...(next && next.lang === '' && between.trim() === '' ? { output: next.body } : {}) });
  });
  return out;
}

/** A scratch directory with this checkout's test/ and `netkit` on npx's path. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netkit-docs-'));
  symlinkSync(join(ROOT, 'test'), join(dir, 'test'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(ROOT, 'bin', 'netkit.js'), join(dir, 'node_modules', '.bin', 'netkit'));
  return dir;
}

/** A repository whose dist/ holds the shop fixture, then the fixture with 2 replicas; netkit linked in. */
function repoWithDist(): string {
  const fixture = readFileSync(join(ROOT, 'test', 'cli', 'fixtures', 'shop', 'app.yaml'), 'utf8');
  const repo = mkdtempSync(join(tmpdir(), 'netkit-docs-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=n', '-c', 'user.email=n@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
  git('init', '-q');
  mkdirSync(join(repo, 'dist'));
  writeFileSync(join(repo, 'dist', 'app.k8s.yaml'), fixture);
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  git('add', '.'); git('commit', '-qm', 'base');
  writeFileSync(join(repo, 'dist', 'app.k8s.yaml'), fixture.replace('replicas: 3', 'replicas: 2'));
  git('commit', '-qam', 'head');
  mkdirSync(join(repo, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(ROOT, 'bin', 'netkit.js'), join(repo, 'node_modules', '.bin', 'netkit'));
  return repo;
}

describe('docs/diff.md', () => {
  const blocks = shBlocks();

  test('has the blocks this test runs', () => {
    expect(blocks.length).toBe(4);
  });

  test.each(blocks.map((b, i) => [i, b] as const))('sh block %i runs as written', (_i, block) => {
    // `npm run synth` needs this checkout (it writes the ignored dist/); the rest runs in a scratch dir.
    const cwd = block.script.includes('HEAD~1:dist') ? repoWithDist() : block.script.includes('npm run synth') ? ROOT : scratch();
    let last = '';
    for (const line of block.script.split('\n').filter((l) => l.trim() !== '')) {
      const r = spawnSync('bash', ['-c', line], { cwd, encoding: 'utf8' });
      const stated = /# .*exit (\d+)/.exec(line);
      if (stated) expect({ line, status: r.status }).toEqual({ line, status: Number(stated[1]) });
      else expect({ line, ok: r.status === 0 || r.status === 1, stderr: r.status === 0 || r.status === 1 ? '' : r.stderr }).toEqual({ line, ok: true, stderr: '' });
      last = r.stdout;
    }
    if (block.output !== undefined) expect(last).toBe(block.output);
  }, 180_000);
});
