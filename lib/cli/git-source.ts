/**
 * A git revision as an input: `REV:path` (git's own `<rev>:<path>` form, as `git show HEAD~1:dist`)
 * reads the manifests under `path` as they were at `REV`, straight from the object database
 * (`git ls-tree` for the file list, one `git cat-file --batch` for the contents), so CI can diff
 * a pull request against its base without a second checkout. Paths are relative to the current
 * directory, as for `git ls-tree`. The same rules as the directory walk apply: `.yaml`, `.yml`,
 * `.json`, no `construct-metadata.json`, no hidden or `node_modules` folders, the file size limit.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ManifestError } from '../manifest/errors';
import { dropDuplicates, type ManifestObject } from '../manifest/objects';
import { parseManifestBytes } from '../manifest/load';

/** A `REV:path` argument split; undefined when the argument names an existing file or has no colon. */
export function parseGitSpec(arg: string, cwd = process.cwd()): { rev: string; path: string } | undefined {
  if (fs.existsSync(path.resolve(cwd, arg))) return undefined;
  const m = /^([^:]+):(.*)$/.exec(arg);
  if (!m || m[1] === '') return undefined;
  return { rev: m[1], path: m[2] === '' ? '.' : m[2] };
}

/** Objects and errors read from `rev:path`; `problems` for git failures (not a repository, unknown revision). */
export interface GitLoadResult {
  readonly objects: readonly ManifestObject[];
  readonly errors: readonly ManifestError[];
  readonly problems: readonly string[];
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function git(args: readonly string[], cwd: string): { ok: true; out: Buffer } | { ok: false; message: string } {
  const r = spawnSync('git', [...args], { cwd, maxBuffer: 1 << 30 });
  if (r.error) return { ok: false, message: `git ${args[0]}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, message: r.stderr.toString('utf8').trim().split('\n')[0] || `git ${args[0]} failed (exit ${r.status})` };
  return { ok: true, out: r.stdout };
}

/** Read every manifest file under `spec.path` at `spec.rev`. */
export function loadGitManifests(spec: { rev: string; path: string }, maxFileBytes: number, cwd = process.cwd()): GitLoadResult {
  const label = `${spec.rev}:${spec.path}`;
  const commit = git(['rev-parse', '--verify', '--quiet', `${spec.rev}^{commit}`], cwd);
  if (!commit.ok) return { objects: [], errors: [], problems: [`${label}: ${spec.rev} is not a commit in the git repository at ${cwd} (fix: a branch, tag or commit, e.g. HEAD~1:dist or origin/main:dist)`] };
  const sha = commit.out.toString('utf8').trim();
  const tree = git(['ls-tree', '-r', '-l', '-z', sha, '--', spec.path], cwd);
  if (!tree.ok) return { objects: [], errors: [], problems: [`${label}: ${tree.message}`] };
  const files: { mode: string; blob: string; size: number; name: string }[] = [];
  for (const entry of tree.out.toString('utf8').split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(entry);
    if (!m || m[2] !== 'blob') continue;
    const name = m[5];
    const parts = name.split('/');
    const base = parts[parts.length - 1];
    if (!EXTENSIONS.has(path.extname(base).toLowerCase()) || base === 'construct-metadata.json') continue;
    if (parts.slice(0, -1).some((p) => p === 'node_modules' || (p.startsWith('.') && p !== '.' && p !== '..'))) continue;
    // 120000 is a symlink: its blob is the link text, not a manifest.
    if (m[1] === '120000') continue;
    files.push({ mode: m[1], blob: m[3], size: Number(m[4]), name });
  }
  if (files.length === 0) return { objects: [], errors: [], problems: [`${label}: no manifest files (.yaml, .yml, .json) at that path in ${spec.rev} (fix: the path is relative to the current directory, as for git show)`] };
  const errors: ManifestError[] = [];
  const objects: ManifestObject[] = [];
  const wanted = files.filter((f) => {
    if (f.size <= maxFileBytes) return true;
    errors.push(new ManifestError('too-large', `${spec.rev}:${f.name}`, 0, '', `file is ${f.size} bytes, over the ${maxFileBytes}-byte limit`, 'raise it with --limit file-size=MIB'));
    return false;
  });
  // One process for every blob: `git cat-file --batch` answers "<sha> blob <size>\n<bytes>\n" per line asked.
  const batch = execFileSync('git', ['cat-file', '--batch'], { cwd, input: wanted.map((f) => `${f.blob}\n`).join(''), maxBuffer: 1 << 30 });
  let at = 0;
  const byBlob = new Map<string, Buffer>();
  while (at < batch.length) {
    const nl = batch.indexOf(10, at);
    const [sha1, , size] = batch.subarray(at, nl).toString('utf8').split(' ');
    const n = Number(size);
    byBlob.set(sha1, batch.subarray(nl + 1, nl + 1 + n));
    at = nl + 1 + n + 1;
  }
  wanted.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of wanted) {
    const file = `${spec.rev}:${f.name}`;
    const bytes = byBlob.get(f.blob);
    if (!bytes) { errors.push(new ManifestError('io', file, 0, '', 'git cat-file returned no content', 'check the repository (git fsck)')); continue; }
    // One file may hold hundreds of thousands of objects: no argument spread.
    const r = parseManifestBytes(bytes, file);
    for (const o of r.objects) objects.push(o);
    for (const e of r.errors) errors.push(e);
  }
  const deduped = dropDuplicates(objects);
  return { objects: deduped.objects, errors: [...errors, ...deduped.errors], problems: [] };
}
