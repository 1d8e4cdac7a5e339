/**
 * Load manifest files and directories from disk, treating the file system as untrusted input:
 * only regular files are read (a FIFO, socket or device is refused before any read, so nothing
 * blocks or streams forever), each real path is read once (symlink loops are reported as loops),
 * symlinks leaving the given paths are not followed unless asked, files over a size limit are
 * refused, and directories skip `node_modules`, `.git` and hidden folders (plus `exclude`
 * patterns). What was skipped comes back as a summary for the CLI to print.
 */
import * as fs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import { ManifestError } from './errors';
import { LoadResult, ManifestObject, dropDuplicates } from './objects';
import { decodeManifestBytes } from './decode';
import { parseManifestText } from './parse';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** cdk8s writes this next to the manifests; it is not a Kubernetes object. */
const SKIPPED_FILES = new Set(['construct-metadata.json']);
/** Directories never walked into unless named on the command line. */
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Default per-file limit: 64 MiB (far above any manifest an API server would accept). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Options of {@link loadManifests}. */
export interface LoadManifestsOptions {
  /** Files larger than this are refused with an error. @default 64 MiB */
  readonly maxFileBytes?: number;
  /**
   * More to skip while walking directories: gitignore-style patterns (`*.tmp.yaml`, `charts/`,
   * `**\/secrets/*`), matched against paths relative to the directory given.
   * @default none
   */
  readonly exclude?: readonly string[];
  /**
   * Follow symlinks whose target is outside every path given (by default they are skipped and
   * counted in the summary).
   * @default false
   */
  readonly followSymlinks?: boolean;
}

/** Why a path was left out of a directory walk. */
export type SkipReason = 'node_modules' | '.git' | 'hidden' | 'excluded' | 'symlink-outside' | 'symlink-loop' | 'already-read';

/** One path left out while walking, and why. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: SkipReason;
}

/** {@link LoadResult} plus what the directory walk left out. */
export interface LoadManifestsResult extends LoadResult {
  readonly skipped: readonly SkippedPath[];
}

const REASON_TEXT: Readonly<Record<SkipReason, [string, string]>> = {
  'node_modules': ['node_modules directory', 'node_modules directories'],
  '.git': ['.git directory', '.git directories'],
  'hidden': ['hidden directory', 'hidden directories'],
  'excluded': ['path matching --exclude', 'paths matching --exclude'],
  'symlink-outside': ['symlink leaving the given paths (pass --follow-symlinks to read it)', 'symlinks leaving the given paths (pass --follow-symlinks to read them)'],
  'symlink-loop': ['symlink loop (a link back to a directory that contains it)', 'symlink loops (links back to a directory that contains them)'],
  'already-read': ['path already read through another link', 'paths already read through another link'],
};

/** One line for stderr, e.g. `skipped 1 node_modules directory, 2 hidden directories`; empty when nothing was skipped. */
export function skippedSummary(skipped: readonly SkippedPath[]): string {
  if (skipped.length === 0) return '';
  const counts = new Map<SkipReason, number>();
  for (const s of skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => {
    const shown = skipped.filter((s) => s.reason === r).slice(0, 3).map((s) => s.path);
    return `${n} ${REASON_TEXT[r][n === 1 ? 0 : 1]}: ${shown.join(', ')}${n > shown.length ? ', ...' : ''}`;
  });
  return `skipped ${parts.join('; ')}`;
}

/**
 * Load files and directories (recursively: `*.yaml`, `*.yml`, `*.json`, in sorted order, skipping
 * `construct-metadata.json`). Duplicates are detected across all files. Never throws on bad
 * input: unreadable paths and invalid documents come back as errors.
 */
export function loadManifests(paths: readonly string[], options: LoadManifestsOptions = {}): LoadManifestsResult {
  const objects: ManifestObject[] = [];
  const errors: ManifestError[] = [];
  const walk = new Walker(options, errors);
  for (const p of paths) walk.root(p);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const file of walk.files) {
    const bytes = readRegularFile(file.path, maxBytes, errors);
    if (!bytes) continue;
    const r = parseManifestBytes(bytes, file.path);
    for (const o of r.objects) objects.push(o);
    for (const e of r.errors) errors.push(e);
  }
  const deduped = dropDuplicates(objects);
  for (const e of deduped.errors) errors.push(e);
  return { objects: deduped.objects, errors, skipped: walk.skipped };
}

/**
 * One file's bytes as manifests: decoded (UTF-8, or UTF-16/32 by its byte order mark), then
 * parsed; `file` labels sources and errors. Never throws on bad input.
 */
export function parseManifestBytes(bytes: Uint8Array, file: string): LoadResult {
  const decoded = decodeManifestBytes(bytes);
  if ('error' in decoded) {
    return { objects: [], errors: [new ManifestError('encoding', file, decoded.line, '', decoded.error, 'save the file as UTF-8 (or UTF-16/32 with a byte order mark)')] };
  }
  return parseManifestText(decoded.text, file);
}

/**
 * Read one file as text with the same rules as manifests (regular files only, size limit,
 * UTF-8 or a byte order mark). For other inputs such as the cluster profile.
 */
export function readInputText(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string } | { error: ManifestError } {
  const errors: ManifestError[] = [];
  const bytes = readRegularFile(file, maxBytes, errors);
  if (!bytes) return { error: errors[0] };
  const decoded = decodeManifestBytes(bytes);
  if ('error' in decoded) return { error: new ManifestError('encoding', file, decoded.line, '', decoded.error, 'save the file as UTF-8 (or UTF-16/32 with a byte order mark)') };
  return { text: decoded.text };
}

/** The kind of a non-regular file, for the error message. */
function fileKind(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Read a regular file of at most `maxBytes`. It is opened non-blocking (opening a FIFO for
 * reading would otherwise wait for a writer) and checked with fstat on the open descriptor, so a
 * file swapped for a FIFO or device after the directory walk is still refused before any read.
 */
function readRegularFile(file: string, maxBytes: number, errors: ManifestError[]): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    // A socket cannot be opened (ENXIO): name what it is rather than the errno.
    let st: fs.Stats | undefined;
    try { st = fs.statSync(file); } catch { st = undefined; }
    if (st && !st.isFile()) errors.push(new ManifestError('io', file, 0, '', `not a regular file: ${fileKind(st)}`, 'pass manifest files or directories; pipes, sockets and devices are not read'));
    else errors.push(ioError(file, e));
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      errors.push(new ManifestError('io', file, 0, '', `not a regular file: ${fileKind(st)}`, 'pass manifest files or directories; pipes, sockets and devices are not read'));
      return undefined;
    }
    if (st.size > maxBytes) {
      errors.push(new ManifestError('io', file, 0, '', `file is ${mib(st.size)}, over the ${mib(maxBytes)} limit`, 'split the file, or raise the limit with --max-file-size'));
      return undefined;
    }
    // Read up to the limit plus one byte: a file growing while read is still bounded.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) break;
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) {
      errors.push(new ManifestError('io', file, 0, '', `file grew over the ${mib(maxBytes)} limit while read`, 'split the file, or raise the limit with --max-file-size'));
      return undefined;
    }
    return buf.subarray(0, n);
  } catch (e) {
    errors.push(ioError(file, e));
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${bytes} bytes`;
}

function ioError(file: string, e: unknown): ManifestError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return new ManifestError('io', file, 0, '', 'no such file or directory', 'pass an existing manifest file or directory (e.g. `dist/`)');
    case 'ELOOP': return new ManifestError('io', file, 0, '', 'symlink loop (the link resolves to itself)', 'fix or remove the symlink');
    case 'EACCES':
    case 'EPERM': return new ManifestError('io', file, 0, '', 'permission denied', 'check the file\'s permissions');
    case 'EISDIR': return new ManifestError('io', file, 0, '', 'is a directory', 'pass the directory itself');
    default: return new ManifestError('io', file, 0, '', `cannot read: ${code ?? (e as Error).message}`, 'check the path and its permissions');
  }
}

/** True when `p` is `root` or inside it (both real paths). */
function within(p: string, root: string): boolean {
  if (p === root) return true;
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Walks the given paths into a list of files, following the rules in the module comment. */
class Walker {
  public readonly files: { path: string }[] = [];
  public readonly skipped: SkippedPath[] = [];
  /** Real paths of the given roots: symlinks may point anywhere inside them. */
  private readonly roots: string[] = [];
  /** Real paths already walked or queued (files and directories). */
  private readonly seen = new Set<string>();
  private readonly exclude: Ignore | undefined;

  constructor(private readonly options: LoadManifestsOptions, private readonly errors: ManifestError[]) {
    this.exclude = options.exclude && options.exclude.length > 0 ? ignore().add([...options.exclude]) : undefined;
  }

  /** A path given by the user: followed whatever it is a link to, files read whatever their name. */
  public root(p: string): void {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e) {
      this.errors.push(ioError(p, e));
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch (e) {
      this.errors.push(ioError(p, e));
      return;
    }
    this.roots.push(real);
    if (st.isDirectory()) {
      if (this.seen.has(real)) return;
      this.seen.add(real);
      this.dir(p, real, p, [real]);
      return;
    }
    if (!st.isFile()) {
      this.errors.push(new ManifestError('io', p, 0, '', `not a regular file: ${fileKind(st)}`, 'pass manifest files or directories; pipes, sockets and devices are not read'));
      return;
    }
    if (this.seen.has(real)) return;
    this.seen.add(real);
    this.files.push({ path: p });
  }

  /** Walk directory `shown` (its real path `real`); `ancestors` are the real paths being walked. */
  private dir(shown: string, real: string, root: string, ancestors: readonly string[]): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch (e) {
      this.errors.push(ioError(shown, e));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const p = path.join(shown, entry.name);
      let isDir = entry.isDirectory();
      let target = path.join(real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          target = fs.realpathSync(target);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') this.errors.push(new ManifestError('io', p, 0, '', `dangling symlink (its target ${safeReadlink(p)} does not exist)`, 'fix or remove the symlink'));
          else this.errors.push(ioError(p, e));
          continue;
        }
        if (ancestors.includes(target)) {
          // Walking it would read the same files again, forever with two such links.
          this.skipped.push({ path: p, reason: 'symlink-loop' });
          continue;
        }
        if (!this.options.followSymlinks && !this.roots.some((r) => within(target, r))) {
          this.skipped.push({ path: p, reason: 'symlink-outside' });
          continue;
        }
        try {
          isDir = fs.statSync(target).isDirectory();
        } catch (e) {
          this.errors.push(ioError(p, e));
          continue;
        }
      }
      const rel = path.relative(root, p).split(path.sep).join('/');
      if (isDir) {
        if (SKIPPED_DIRS.has(entry.name)) { this.skipped.push({ path: p, reason: entry.name as SkipReason }); continue; }
        if (entry.name.startsWith('.')) { this.skipped.push({ path: p, reason: 'hidden' }); continue; }
        if (this.exclude?.ignores(`${rel}/`)) { this.skipped.push({ path: p, reason: 'excluded' }); continue; }
        if (this.seen.has(target)) { this.skipped.push({ path: p, reason: 'already-read' }); continue; }
        this.seen.add(target);
        this.dir(p, target, root, [...ancestors, target]);
        continue;
      }
      if (SKIPPED_FILES.has(entry.name) || !EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      if (this.exclude?.ignores(rel)) { this.skipped.push({ path: p, reason: 'excluded' }); continue; }
      if (this.seen.has(target)) { this.skipped.push({ path: p, reason: 'already-read' }); continue; }
      this.seen.add(target);
      // Non-regular files with a manifest name (a FIFO called x.yaml) are refused when opened.
      this.files.push({ path: p });
    }
  }
}

function safeReadlink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '?';
  }
}
