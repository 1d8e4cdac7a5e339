/**
 * `netkit diff <before> <after>`: behaviour diff of two manifest sets (lib/diff). Exit codes as
 * `kubectl diff`: 0 no behaviour change, 1 changes found, 2 usage error or unreadable input.
 */
import { SimulationBudgetError } from '../engine/budget';
import { diffManifests } from '../diff/diff';
import { formatDiffMarkdown, formatDiffText } from '../diff/render';
import { formatData, type CliIO } from './io';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';
import { escapeText } from '../report/text';

/** Options of {@link runDiff}. */
export interface DiffCommandOptions extends InputCommandOptions {
  readonly output: 'text' | 'json' | 'yaml' | 'markdown';
  readonly profile?: string;
  /** Only changes in this namespace (`-n`); both sides are still simulated whole. */
  readonly namespace?: string;
}

/** Exit codes of `netkit diff` (kubectl diff's convention, not the other commands'). */
export const DIFF_SAME = 0;
export const DIFF_CHANGED = 1;
export const DIFF_ERROR = 2;

/** Run the command; returns the exit code. */
export function runDiff(before: string, after: string, opts: DiffCommandOptions, io: CliIO): number {
  const options = inputOptions(opts, io);
  const a = loadInputs([before], opts.profile, options);
  const b = loadInputs([after], opts.profile, options);
  const problems = [...a.problems, ...b.problems];
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`error: ${p}\n`);
    return DIFF_ERROR;
  }
  let result;
  try {
    result = diffManifests(a.objects, b.objects, { profile: a.profile, budget: a.budget });
  } catch (e) {
    if (e instanceof SimulationBudgetError) {
      for (const p of e.problems) io.stderr.write(`error: ${escapeText(p.message)}\n`);
      return DIFF_ERROR;
    }
    throw e;
  }
  if (opts.namespace !== undefined) result = { ...result, changes: result.changes.filter((c) => c.namespace === opts.namespace) };
  switch (opts.output) {
    case 'json': case 'yaml': io.stdout.write(formatData(result, opts.output)); break;
    case 'markdown': io.stdout.write(formatDiffMarkdown(result)); break;
    default: io.stdout.write(formatDiffText(result));
  }
  return result.changes.length === 0 ? DIFF_SAME : DIFF_CHANGED;
}
