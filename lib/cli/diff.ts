/**
 * `netkit diff <before> <after>`: behaviour diff of two manifest sets (lib/diff), and
 * `netkit diff --equivalent <source> <target>` for migrations. Either side may be a git revision
 * (`REV:path`, read without a checkout, see git-source.ts). Exit codes as `kubectl diff`:
 * 0 no behaviour change (equivalent), 1 changes found (not equivalent), 2 usage error or
 * unreadable input.
 */
import { SimulationBudgetError, checkBudget } from '../engine/budget';
import { defaultProfile } from '../engine/profile';
import { diffManifests } from '../diff/diff';
import { checkEquivalence } from '../diff/equivalent';
import { formatDiffMarkdown, formatDiffText, formatEquivalenceMarkdown, formatEquivalenceText } from '../diff/render';
import { formatData, type CliIO } from './io';
import { type InputCommandOptions, type LoadedInputs, inputOptions, loadInputs, parseLimits } from './load';
import { loadGitManifests, parseGitSpec } from './git-source';
import { escapeText } from '../report/text';

/** Options of {@link runDiff}. */
export interface DiffCommandOptions extends InputCommandOptions {
  readonly output: 'text' | 'json' | 'yaml' | 'markdown';
  readonly profile?: string;
  /** Migration mode: prove every witness request routes the same. */
  readonly equivalent?: boolean;
  /** Only changes in this namespace (`-n`); both sides are still simulated whole. */
  readonly namespace?: string;
}

/** Exit codes of `netkit diff` (kubectl diff's convention, not the other commands'). */
export const DIFF_SAME = 0;
export const DIFF_CHANGED = 1;
export const DIFF_ERROR = 2;

/** One side: a file or directory, or `REV:path` when no such file exists. */
function loadSide(arg: string, opts: DiffCommandOptions, io: CliIO): LoadedInputs {
  const spec = parseGitSpec(arg);
  if (!spec) return loadInputs([arg], opts.profile, inputOptions(opts, io));
  // The profile (if any) comes from the working tree side; the budget applies the same.
  const { budget, maxFileBytes, problems } = parseLimits(opts.limit ?? []);
  if (problems.length > 0) return { objects: [], budget, problems };
  const r = loadGitManifests(spec, maxFileBytes);
  const out = [...r.problems, ...r.errors.map((e) => escapeText(e.toString()))];
  if (out.length === 0) for (const b of checkBudget(r.objects, defaultProfile(), budget)) out.push(escapeText(b.message));
  return { objects: r.objects, budget, problems: out };
}

/** Run the command; returns the exit code. */
export function runDiff(before: string, after: string, opts: DiffCommandOptions, io: CliIO): number {
  const b = loadSide(after, opts, io);
  const a = loadSide(before, opts, io);
  const problems = [...a.problems, ...b.problems];
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`error: ${p}\n`);
    return DIFF_ERROR;
  }
  const profile = a.profile ?? b.profile;
  try {
    if (opts.equivalent) {
      const r = checkEquivalence(a.objects, b.objects, { profile, budget: a.budget });
      if (opts.output === 'json' || opts.output === 'yaml') io.stdout.write(formatData(r, opts.output));
      else io.stdout.write(opts.output === 'markdown' ? formatEquivalenceMarkdown(r) : formatEquivalenceText(r));
      return r.equivalent ? DIFF_SAME : DIFF_CHANGED;
    }
    const all = diffManifests(a.objects, b.objects, { profile, budget: a.budget });
    const result = opts.namespace === undefined ? all : { ...all, changes: all.changes.filter((c) => c.namespace === opts.namespace) };
    switch (opts.output) {
      case 'json': case 'yaml': io.stdout.write(formatData(result, opts.output)); break;
      case 'markdown': io.stdout.write(formatDiffMarkdown(result)); break;
      default: io.stdout.write(formatDiffText(result));
    }
    return result.changes.length === 0 ? DIFF_SAME : DIFF_CHANGED;
  } catch (e) {
    if (e instanceof SimulationBudgetError) {
      for (const p of e.problems) io.stderr.write(`error: ${escapeText(p.message)}\n`);
      return DIFF_ERROR;
    }
    throw e;
  }
}
