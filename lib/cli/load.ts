/**
 * Load manifests and a profile and build the simulated cluster, turning every input problem
 * into one human line (`file:line path: message (fix: hint)`) instead of an exception, and
 * checking the simulation budget before any simulation work.
 */
import * as fs from 'fs';
import * as path from 'path';
import { yamlModule } from '../core/yaml';
import { loadManifests, skippedSummary, type ManifestObject } from '../manifest';
import { DEFAULT_MAX_FILE_BYTES } from '../manifest/load';
import { Cluster } from '../engine/cluster';
import { DEFAULT_BUDGET, SimulationBudgetError, checkBudget, type SimulationBudget } from '../engine/budget';
import type { Diagnostic } from '../engine/diagnostics';
import { defaultProfile, loadProfile } from '../engine/profile';
import type { ClusterProfileInfo } from '../engine/model';
import { escapeText } from '../report/text';
import { unservedApiMessage } from '../k8s/removed-apis';

/** How inputs are read: the CLI's `--exclude`, `--follow-symlinks` and `--limit` options. */
export interface InputOptions {
  /** gitignore-style patterns skipped while walking directories. */
  readonly exclude?: readonly string[];
  /** Follow symlinks that leave the given paths. */
  readonly followSymlinks?: boolean;
  /** `name=value` limits: `pods`, `nodes`, `ports` (counts), `file-size` (MiB). */
  readonly limit?: readonly string[];
  /** Where notes about the input go (what the directory walk skipped); stderr in the CLI. */
  readonly log?: (line: string) => void;
}

/** The input options as commander parses them (`--exclude`, `--follow-symlinks`, `--limit`). */
export interface InputCommandOptions {
  readonly exclude?: readonly string[];
  readonly followSymlinks?: boolean;
  readonly limit?: readonly string[];
}

/** {@link InputOptions} from a command's options; notes go to `io.stderr`. */
export function inputOptions(opts: InputCommandOptions, io: { readonly stderr: { write(text: string): unknown } }): InputOptions {
  return { exclude: opts.exclude, followSymlinks: opts.followSymlinks, limit: opts.limit, log: (line) => io.stderr.write(`note: ${line}\n`) };
}

/** Manifests and an optional profile read from disk, with every input problem as one line. */
export interface LoadedInputs {
  readonly objects: readonly ManifestObject[];
  /** The `--profile` file's profile; undefined for the default profile or when it is invalid. */
  readonly profile?: ClusterProfileInfo;
  /** The simulation limits in force. */
  readonly budget: SimulationBudget;
  /** Empty when the inputs are usable. */
  readonly problems: readonly string[];
}

/** `--limit name=value` values -> the budget and the file size limit, or the problems. */
export function parseLimits(values: readonly string[]): { budget: SimulationBudget; maxFileBytes: number; problems: string[] } {
  const budget = { ...DEFAULT_BUDGET };
  let maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  const problems: string[] = [];
  for (const v of values) {
    const m = /^(pods|nodes|ports|file-size)=(\d{1,12})$/.exec(v.trim());
    if (!m) {
      problems.push(`--limit ${escapeText(v)}: expected pods=N, nodes=N, ports=N or file-size=MIB, e.g. --limit pods=300000`);
      continue;
    }
    const n = Number(m[2]);
    if (m[1] === 'file-size') maxFileBytes = n * 1024 * 1024;
    else budget[m[1] as keyof SimulationBudget] = n;
  }
  return { budget, maxFileBytes, problems };
}

/**
 * A cdk8s project root given as a path (`netkit validate .`) stands for the directory
 * `cdk8s synth` writes: `output` in its `cdk8s.yaml` (cdk8s-cli's default `dist` when unset).
 * Walking the root instead would read the sources' test fixtures, node_modules aside, as if
 * they were the app. Each replacement is logged; a missing output directory is a problem.
 */
export function projectPaths(paths: readonly string[], log?: (line: string) => void): { paths: string[]; problems: string[] } {
  const out: string[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const config = path.join(p, 'cdk8s.yaml');
    let text: string;
    try {
      if (!fs.statSync(p).isDirectory()) { out.push(p); continue; }
      text = fs.readFileSync(config, 'utf8');
    } catch {
      out.push(p);
      continue;
    }
    let output = 'dist';
    try {
      const doc = yamlModule().parse(text) as unknown;
      const value = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).output : undefined;
      if (typeof value === 'string' && value.trim() !== '') output = value.trim();
    } catch (e) {
      problems.push(escapeText(`${config}: not valid YAML (${(e as Error).message.split('\n')[0]}) (fix: correct it, or pass the manifest directory, e.g. dist/)`));
      continue;
    }
    const dir = path.join(p, output);
    if (!fs.existsSync(dir)) {
      problems.push(escapeText(`${config}: its output directory ${dir} does not exist (fix: run \`cdk8s synth\` first, or pass the manifest directory)`));
      continue;
    }
    log?.(escapeText(`${p} is a cdk8s project: reading ${dir}${path.sep}, the output directory its cdk8s.yaml names (what \`cdk8s synth\` last wrote)`));
    out.push(dir);
  }
  return { paths: out, problems };
}

/** Load `paths` (files or directories) and an optional profile file; never throws. */
export function loadInputs(givenPaths: readonly string[], profileFile?: string, options: InputOptions = {}): LoadedInputs {
  const { budget, maxFileBytes, problems } = parseLimits(options.limit ?? []);
  if (problems.length > 0) return { objects: [], budget, problems };
  const project = projectPaths(givenPaths, options.log);
  if (project.problems.length > 0) return { objects: [], budget, problems: project.problems };
  const paths = project.paths;
  let profile: ClusterProfileInfo | undefined;
  if (profileFile) {
    const p = loadProfile(profileFile);
    for (const e of p.errors) problems.push(e.toString());
    profile = p.profile;
  }
  const loaded = loadManifests(paths, { maxFileBytes, exclude: options.exclude, followSymlinks: options.followSymlinks });
  const skipped = skippedSummary(loaded.skipped);
  if (skipped) options.log?.(escapeText(skipped));
  for (const e of loaded.errors) problems.push(escapeText(e.toString()));
  if (problems.length === 0 && loaded.objects.length === 0) {
    problems.push(`${escapeText(paths.join(', '))}: no Kubernetes objects found (fix: pass the directory cdk8s synth writes, e.g. dist/)`);
  }
  if (problems.length === 0) {
    // Before any simulation work, so `replicas: 2000000` is an error in milliseconds.
    for (const b of checkBudget(loaded.objects, profile ?? defaultProfile(), budget, profileFile ? { file: profileFile, line: 0 } : undefined)) problems.push(escapeText(b.message));
  }
  return { objects: loaded.objects, profile, budget, problems };
}

/** A built cluster, or the problems that prevented building it. */
export type LoadedCluster =
  | { readonly ok: true; readonly cluster: Cluster; readonly warnings: readonly string[]; readonly errors: number }
  | { readonly ok: false; readonly problems: readonly string[] };

/** How many diagnostics of one code are listed before the rest are summed up. */
const SHOWN_PER_CODE = 3;

function diagnosticLine(d: Diagnostic): string {
  const where = d.source ? `${d.source.file}:${d.source.line}${d.path ? ` ${d.path}` : ''}: ` : '';
  return escapeText(`${d.severity}: ${where}${d.message}${d.hint ? ` (fix: ${d.hint})` : ''}`);
}

/**
 * Diagnostics as lines, aggregated per code: the first few in full, then one line with how many
 * more and which objects they were on (so a `replicas: 100000` of unschedulable pods is a few
 * lines, not a hundred thousand).
 */
export function aggregateDiagnostics(diagnostics: readonly Diagnostic[]): string[] {
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const key = `${d.severity}/${d.code}`;
    let list = byCode.get(key);
    if (!list) { list = []; byCode.set(key, list); }
    list.push(d);
  }
  const lines: string[] = [];
  for (const list of byCode.values()) {
    for (const d of list.slice(0, SHOWN_PER_CODE)) lines.push(diagnosticLine(d));
    if (list.length > SHOWN_PER_CODE) {
      const rest = list.slice(SHOWN_PER_CODE);
      const objects = new Set<string>();
      for (const d of rest) if (d.object) objects.add(`${d.object.kind} ${d.object.namespace ? `${d.object.namespace}/` : ''}${d.object.name}`);
      const names = [...objects].slice(0, SHOWN_PER_CODE).join(', ');
      lines.push(escapeText(`${list[0].severity}: ${rest.length} more ${list[0].code}${names ? ` (on ${names}${objects.size > SHOWN_PER_CODE ? `, and ${objects.size - SHOWN_PER_CODE} more objects` : ''})` : ''}`));
    }
  }
  return lines;
}

/** Load `paths` (files or directories) and an optional profile file, then build the cluster. */
export function loadCluster(paths: readonly string[], profileFile?: string, options: InputOptions = {}): LoadedCluster {
  const inputs = loadInputs(paths, profileFile, options);
  if (inputs.problems.length > 0) return { ok: false, problems: inputs.problems };
  let cluster: Cluster;
  try {
    cluster = Cluster.build(inputs.objects, inputs.profile, { budget: inputs.budget });
  } catch (e) {
    if (e instanceof SimulationBudgetError) return { ok: false, problems: e.problems.map((p) => escapeText(p.message)) };
    throw e;
  }
  // Objects in apiVersions no longer served are left out of the simulation: say so, as an error.
  const unserved: Diagnostic[] = [];
  for (const o of inputs.objects) {
    const message = unservedApiMessage(o.ref.kind, o.apiVersion);
    if (message) unserved.push({ severity: 'error', code: 'api-version-removed', message: `${o.ref.kind} ${o.ref.namespace ? `${o.ref.namespace}/` : ''}${o.ref.name}: ${message}`, object: o.ref, source: o.source, path: 'apiVersion' });
  }
  const all = [...unserved, ...cluster.diagnostics];
  const errors = all.filter((d) => d.severity === 'error').length;
  return { ok: true, cluster, warnings: aggregateDiagnostics(all), errors };
}
