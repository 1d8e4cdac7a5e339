/**
 * `netkit validate <paths...>`: the rules over manifests on disk, as text, JSON or SARIF 2.1.0.
 * Exit 0 when nothing is at or above `--fail-on`, 2 when something is, 1 for usage errors,
 * unreadable or invalid manifests, or a crashing rule.
 */
import { RULES } from '../rules/registry';
import { failing, runRules, unknownRuleIds, type ValidationResult } from '../rules/runner';
import type { RuleSetting, RuleSeverity, Violation } from '../rules/types';
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, formatData, type CliIO } from './io';
import { type InputCommandOptions, inputOptions, loadInputs } from './load';
import { escapeText } from '../report/text';

/** Output formats of `netkit validate`. */
export type ValidateFormat = 'text' | 'json' | 'yaml' | 'sarif';

/** Options of {@link runValidate}. */
export interface ValidateCommandOptions extends InputCommandOptions {
  readonly output: ValidateFormat;
  /** Lowest severity that makes the exit code 2. */
  readonly failOn: 'error' | 'warning' | 'info';
  /** `id=off|error|warning|info` settings. */
  readonly rule?: readonly string[];
  /** Cluster profile file. */
  readonly profile?: string;
  /** Only findings on objects in this namespace (`-n`); the whole set is still simulated. */
  readonly namespace?: string;
}

const SETTINGS = new Set(['off', 'error', 'warning', 'info']);

/** Parse repeated `--rule id=setting` values; returns the config or the problems. */
export function parseRuleSettings(values: readonly string[]): { rules: Record<string, RuleSetting>; problems: string[] } {
  const rules: Record<string, RuleSetting> = {};
  const problems: string[] = [];
  for (const v of values) {
    const m = /^([a-z0-9-]+)=([a-z]+)$/.exec(v.trim());
    if (!m || !SETTINGS.has(m[2])) {
      problems.push(`--rule ${v}: expected RULE-ID=off|error|warning|info, e.g. --rule pod-host-network=off`);
      continue;
    }
    rules[m[1]] = m[2] as RuleSetting;
  }
  for (const id of unknownRuleIds(rules)) problems.push(`--rule ${id}: no rule has this id (see docs/rules.md)`);
  return { rules, problems };
}

/** Run the command; returns the exit code. Writes results to stdout, problems to stderr. */
export function runValidate(paths: readonly string[], opts: ValidateCommandOptions, io: CliIO): number {
  const { rules, problems } = parseRuleSettings(opts.rule ?? []);
  const inputs = loadInputs(paths, opts.profile, inputOptions(opts, io));
  for (const p of inputs.problems) problems.push(p);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`error: ${p}\n`);
    return EXIT_ERROR;
  }
  const all = runRules(inputs.objects, { rules, profile: inputs.profile, budget: inputs.budget });
  // Every object is simulated (a Service in one namespace may select nothing because of another's
  // change); -n only narrows which findings are reported and counted.
  const ns = opts.namespace;
  const result: ValidationResult = ns === undefined ? all : { ...all, violations: all.violations.filter((v) => v.object.namespace === ns) };
  if (ns !== undefined && !inputs.objects.some((o) => o.ref.namespace === ns)) io.stderr.write(`note: no object in namespace ${escapeText(ns)}\n`);
  const failed = failing(result.violations, opts.failOn as RuleSeverity);
  switch (opts.output) {
    case 'json': case 'yaml': io.stdout.write(formatData(toJson(result, opts.failOn, failed.length), opts.output)); break;
    case 'sarif': io.stdout.write(`${JSON.stringify(toSarif(result), null, 2)}\n`); break;
    default: io.stdout.write(formatText(result, inputs.objects.length));
  }
  for (const c of result.crashes) io.stderr.write(`error: rule ${c.ruleId} crashed: ${c.message} (its findings are missing; please report it, or pass --rule ${c.ruleId}=off)\n`);
  if (result.crashes.length > 0) return EXIT_ERROR;
  return failed.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function where(v: Violation): string {
  const src = v.source ? `${v.source.file}:${v.source.line}${v.source.column !== undefined ? `:${v.source.column}` : ''}` : '<memory>';
  return `${src} ${v.object.kind} ${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}`;
}

/** Human output: one block per violation, then a summary line. */
export function formatText(result: ValidationResult, objects: number): string {
  const lines: string[] = [];
  for (const v of result.violations) {
    lines.push(`${where(v)}${v.path ? ` ${v.path}` : ''}: ${v.severity} [${v.ruleId}] ${v.message}`);
    lines.push(`    fix: ${v.fix}`);
    if (v.constructPath) lines.push(`    construct: ${v.constructPath}`);
  }
  const count = (s: RuleSeverity) => result.violations.filter((v) => v.severity === s).length;
  lines.push(`${objects} objects, ${result.rulesRun} rules: ${count('error')} errors, ${count('warning')} warnings, ${count('info')} info` +
    (result.suppressed > 0 ? `, ${result.suppressed} suppressed` : ''));
  // Names, paths and messages come from manifests: escape control characters per line.
  return `${lines.map(escapeText).join('\n')}\n`;
}

/** Machine output: every violation plus a summary. */
export function toJson(result: ValidationResult, failOn: string, failing: number): object {
  return {
    violations: result.violations,
    summary: { rulesRun: result.rulesRun, violations: result.violations.length, suppressed: result.suppressed, failOn, failing, crashes: result.crashes },
    coverage: result.coverage,
  };
}

const SARIF_LEVEL: Readonly<Record<RuleSeverity, string>> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0 (what GitHub code scanning reads): one run, the rules as the driver's rules. */
export function toSarif(result: ValidationResult): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'netkit',
          informationUri: 'https://github.com/cdk8s-netkit/cdk8s-netkit/blob/main/docs/rules.md',
          rules: RULES.map((r) => ({
            id: r.id,
            shortDescription: { text: r.summary },
            fullDescription: { text: r.why },
            help: { text: r.fix },
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
          })),
        },
      },
      results: result.violations.map((v) => ({
        ruleId: v.ruleId,
        level: SARIF_LEVEL[v.severity],
        message: { text: `${v.message}. Fix: ${v.fix}` },
        locations: [{
          ...(v.source ? { physicalLocation: { artifactLocation: { uri: v.source.file.split('\\').join('/') }, region: { startLine: Math.max(1, v.source.line), ...(v.source.column !== undefined ? { startColumn: v.source.column } : {}) } } } : {}),
          logicalLocations: [{ fullyQualifiedName: `${v.object.kind}/${v.object.namespace ? `${v.object.namespace}/` : ''}${v.object.name}${v.path ? `/${v.path}` : ''}`, kind: 'resource' }],
        }],
      })),
    }],
  };
}
